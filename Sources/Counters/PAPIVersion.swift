/// The PAPI library version found at run time.
public struct PAPIVersion: Codable, Equatable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var revision: Int

    public init(major: Int, minor: Int, revision: Int) {
        self.major = major
        self.minor = minor
        self.revision = revision
    }

    public var description: String { "\(major).\(minor).\(revision)" }
}
