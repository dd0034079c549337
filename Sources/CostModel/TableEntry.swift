/// One block configuration's cost in a table.
public struct TableEntry: Codable, Equatable, Sendable {
    public var key: String
    public var medianMs: Double
    public var p90Ms: Double
    public var meanMs: Double
    /// Standard deviation in ms (Once-for-All's `std`), from the profile's CV and mean.
    public var stdMs: Double
    public var cv: Double
    public var n: Int
    public var unstable: Bool

    public init(key: String, medianMs: Double, p90Ms: Double, meanMs: Double, stdMs: Double, cv: Double, n: Int, unstable: Bool) {
        self.key = key
        self.medianMs = medianMs
        self.p90Ms = p90Ms
        self.meanMs = meanMs
        self.stdMs = stdMs
        self.cv = cv
        self.n = n
        self.unstable = unstable
    }
}
