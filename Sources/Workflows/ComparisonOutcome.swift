import Reports

/// What a comparison run produced: one comparison per pair of devices, and the reports written.
public struct ComparisonOutcome {
    /// Pairs in the order the devices were given: (0,1), (0,2), ..., (1,2), ...
    public var comparisons: [DeviceComparison]
    /// The Markdown reports (and the summary, with three devices or more), as relative paths.
    public var written: [String]

    public init(comparisons: [DeviceComparison], written: [String]) {
        self.comparisons = comparisons
        self.written = written
    }
}
