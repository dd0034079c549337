import Support

/// The runtimes this build has, found by name or by the description a profile stored.
public enum Runtimes {
    /// Every runtime's name, as `--runtime` takes it.
    public static let names = [RuntimeDescription.nativeName, OnnxRuntime.name]

    /// The runtime called `name`; an out-of-process one starts its worker (and says what is
    /// missing when it cannot).
    public static func make(_ name: String) throws -> any InferenceRuntime {
        switch name {
        case RuntimeDescription.nativeName: return NativeRuntime()
        case OnnxRuntime.name: return try OnnxRuntime()
        default: throw HwnasError("unknown runtime '\(name)' (this build has: \(names.joined(separator: ", ")))")
        }
    }

    /// The runtime that took a profile of `description` (none: the native runtime, as every
    /// profile written before runtimes were described); one this build lacks is refused by name,
    /// and so is another version of it than the one here: its timings would not be the profile's.
    public static func named(_ description: RuntimeDescription?) throws -> any InferenceRuntime {
        let name = description?.name ?? RuntimeDescription.nativeName
        guard names.contains(name) else {
            throw HwnasError("runtime '\(name)' is not part of this build (it has: \(names.joined(separator: ", ")))")
        }
        let runtime = try make(name)
        if let description, name != RuntimeDescription.nativeName {
            let here = runtime.describe(options: ExecutionOptions()).version
            guard here == description.version else {
                throw HwnasError("this was measured with \(name) \(description.version), but the Python here has \(name) \(here); install \(description.version) (scripts/peers.txt pins it) or measure again")
            }
        }
        return runtime
    }
}
