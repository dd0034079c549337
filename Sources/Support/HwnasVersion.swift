/// The version of hwnas recorded in every file it writes.
public enum HwnasVersion {
    public static let current = "0.1.0"
}
