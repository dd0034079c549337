import Support

/// The runtimes this build has, found by the description a profile stored.
public enum Runtimes {
    /// The runtime that took a profile of `description` (none: the native runtime, as every
    /// profile written before runtimes were described); one this build lacks is refused by name.
    public static func named(_ description: RuntimeDescription?) throws -> any InferenceRuntime {
        let name = description?.name ?? RuntimeDescription.nativeName
        guard name == RuntimeDescription.nativeName else {
            throw HwnasError("runtime '\(name)' is not part of this build (it has: \(RuntimeDescription.nativeName))")
        }
        return NativeRuntime()
    }
}
