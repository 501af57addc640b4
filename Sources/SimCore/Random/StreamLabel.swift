/// 64-bit FNV-1a over bytes: the fixed, process-independent hash used to turn stream labels and
/// trace strings into numbers (Swift's `Hasher` is seeded per process and must never be used).
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The FNV-1a hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> UInt64 {
        var h = offsetBasis
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h &*= prime
        }
        return h
    }
}
