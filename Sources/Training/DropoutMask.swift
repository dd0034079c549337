/// Which elements dropout keeps: a counter-based hash of (key, element index), so a mask is a
/// pure function of its key.
///
/// No generator state to carry: the backward pass recomputes the forward's mask instead of
/// storing it, sixteen lanes at a time; a step's masks depend only on the run's seed, the step
/// and the site (`key(seed:step:site:)`), so a resumed run draws the masks an uninterrupted
/// run would have drawn. The hash is two rounds of the `lowbias32` integer mixer (Wellons) on
/// the index, each keyed with one half of the 64-bit key; an element is kept when the top 24
/// bits of the hash are at least `probability · 2^24`.
public enum DropoutMask {
    /// The key of one dropout site at one step: SplitMix64's finaliser over the three numbers.
    public static func key(seed: UInt64, step: UInt64, site: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* (step &+ 1)
        z = mix(z ^ (site &* 0xD1B5_4A32_D192_ED03))
        return mix(z &+ step)
    }

    /// The keep threshold of `probability` on the 24-bit scale.
    public static func threshold(probability: Float) -> UInt32 {
        UInt32((Double(probability) * 16_777_216).rounded())
    }

    /// Whether element `index` survives under `key` and `threshold` (the scalar reference of
    /// the vector form).
    public static func keeps(_ index: UInt32, key: UInt64, threshold: UInt32) -> Bool {
        hash(index, key: key) >> 8 >= threshold
    }

    /// The 32-bit hash of `index` under `key`.
    public static func hash(_ index: UInt32, key: UInt64) -> UInt32 {
        var h = round(index ^ UInt32(truncatingIfNeeded: key))
        h ^= UInt32(truncatingIfNeeded: key >> 32)
        return round(h)
    }

    /// The hashes of indices `first ..< first + 16`.
    @inline(__always)
    static func hash(first: UInt32, key: UInt64) -> SIMD16<UInt32> {
        let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var h = (lanes &+ first) ^ UInt32(truncatingIfNeeded: key)
        h = round(h)
        h ^= UInt32(truncatingIfNeeded: key >> 32)
        return round(h)
    }

    /// Per lane, the factor dropout multiplies element `first + lane` by: `scale` when kept, 0
    /// when dropped.
    @inline(__always)
    static func factors(first: UInt32, key: UInt64, threshold: UInt32, scale: Float) -> SIMD16<Float> {
        let kept = (hash(first: first, key: key) &>> 8) .>= SIMD16<UInt32>(repeating: threshold)
        return SIMD16<Float>(repeating: 0).replacing(with: scale, where: kept)
    }

    @inline(__always)
    static func round(_ x: UInt32) -> UInt32 {
        var x = x
        x ^= x >> 16
        x &*= 0x7FEB_352D
        x ^= x >> 15
        x &*= 0x846C_A68B
        x ^= x >> 16
        return x
    }

    @inline(__always)
    static func round(_ x: SIMD16<UInt32>) -> SIMD16<UInt32> {
        var x = x
        x ^= x &>> 16
        x &*= 0x7FEB_352D
        x ^= x &>> 15
        x &*= 0x846C_A68B
        x ^= x &>> 16
        return x
    }

    static func mix(_ z: UInt64) -> UInt64 {
        var z = z
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
