import Foundation

/// How MACs and parameter counts are shown to people: in millions. The scale lives here alone,
/// so that a chart's axis, the sentence under it and a constraint's description agree.
public enum CountFormat {
    /// The unit's name for axis labels: `MACs (millions)`.
    public static let unitName = "millions"

    /// A count in millions (division, not multiplication by 1e-6: round counts stay round).
    public static func millions(_ count: Double) -> Double {
        count / 1e6
    }

    /// `12.35M` for `format` `%.2f`: the count in millions with an `M`.
    public static func text(_ count: Double, format: String) -> String {
        String(format: format, millions(count)) + "M"
    }
}
