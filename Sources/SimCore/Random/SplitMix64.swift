/// SplitMix64 (Steele, Lea and Flood; Vigna's reference code): seeds the stream generators.
///
/// Each call adds the golden-ratio increment to the state and returns a mix of it, so any
/// 64-bit seed, including zero, gives a well-spread sequence.
public struct SplitMix64: Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
