/// One example of a text-classification task: its text, its class, and where it was read.
public struct LabelledText: Equatable, Sendable {
    public var text: String
    public var label: Int
    /// The 1-based line of the file it came from.
    public var line: Int

    public init(text: String, label: Int, line: Int) {
        self.text = text
        self.label = label
        self.line = line
    }
}
