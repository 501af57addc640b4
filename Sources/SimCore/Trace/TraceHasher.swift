/// The running 64-bit fingerprint of a trace.
///
/// Canonical encoding: every event is a sequence of 64-bit words (see `Trace`), and each word is
/// folded in with the XXH64 round `state = rotl(state + word * P2, 31) * P1`. Each step is a
/// bijection of the state for a fixed word, so two traces that differ in any single word always get
/// different fingerprints; the final value passes through XXH64's avalanche. Strings are folded as
/// their length and their bytes in 64-bit words. No input depends on the process or machine.
public struct TraceHasher: Sendable {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9

    @usableFromInline var state: UInt64

    public init(seed: UInt64 = 0) { state = seed &+ Self.p3 }

    /// Folds in one word.
    @inlinable public mutating func combine(_ word: UInt64) {
        state = (state &+ word &* Self.p2).rotatedLeft(by: 31) &* Self.p1
    }

    @inlinable public mutating func combine(_ value: Int) { combine(UInt64(bitPattern: Int64(value))) }

    /// Folds in a string as its byte length, then its UTF-8 bytes eight at a time (little-endian
    /// words, the last one zero-padded).
    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            combine(UInt64(bytes.count))
            let raw = UnsafeRawBufferPointer(bytes)
            var index = 0
            while index + 8 <= bytes.count {
                combine(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += 8
            }
            if index < bytes.count {
                var word: UInt64 = 0
                for (shift, byte) in bytes[index...].enumerated() { word |= UInt64(byte) << (8 * shift) }
                combine(word)
            }
        }
    }

    /// The fingerprint so far.
    public var value: UInt64 {
        var h = state
        h ^= h >> 33
        h &*= Self.p2
        h ^= h >> 29
        h &*= Self.p3
        h ^= h >> 32
        return h
    }
}

/// A fingerprint printed as 16 hex digits.
public func formatFingerprint(_ value: UInt64) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
