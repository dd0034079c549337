/// An error meant for a person: the message names the file, field or value at fault.
///
/// Every layer throws this (or wraps what it catches in it) so that the command line can print
/// one clear line and exit with a non-zero code.
public struct HwnasError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
