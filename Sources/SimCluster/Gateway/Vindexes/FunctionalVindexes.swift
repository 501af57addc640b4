import Crypto
/// The vindexes that compute a keyspace id from the value alone (`go/vt/vtgate/vindexes`): nil
/// means the value maps to no shard (Vitess's DestinationNone).
public enum FunctionalVindex: String, Sendable, CaseIterable {
    case hash
    case xxhash
    case numeric
    case binary
    case reverseBits = "reverse_bits"
    case binaryMD5 = "binary_md5"
    case unicodeLooseMD5 = "unicode_loose_md5"
    case unicodeLooseXXHash = "unicode_loose_xxhash"

    private static let nullKeyDES = DES(key: [UInt8](repeating: 0, count: 8))

    /// The keyspace id of `value`.
    public func keyspaceID(_ value: VindexValue) -> [UInt8]? {
        switch self {
        case .hash:
            // Signed values keep their two's complement (-1 is 2^64-1); others are cast.
            let number: UInt64?
            if case .signed(let v) = value { number = UInt64(bitPattern: v) } else { number = value.castUInt64 }
            return number.map { Self.bigEndian(Self.nullKeyDES.encrypt($0)) }
        case .xxhash:
            let hashed = XXHash64.hash(value.rawBytes)
            return (0..<8).map { UInt8(truncatingIfNeeded: hashed >> (8 * UInt64($0))) }
        case .numeric:
            return value.castUInt64.map(Self.bigEndian)
        case .binary:
            return value.rawBytes
        case .reverseBits:
            return value.castUInt64.map { Self.bigEndian(Self.reversed($0)) }
        case .binaryMD5:
            return Array(Insecure.MD5.hash(data: value.rawBytes))
        case .unicodeLooseMD5:
            return Array(Insecure.MD5.hash(data: UnicodeLooseKey.key(String(decoding: value.rawBytes, as: UTF8.self))))
        case .unicodeLooseXXHash:
            let hashed = XXHash64.hash(UnicodeLooseKey.key(String(decoding: value.rawBytes, as: UTF8.self)))
            return (0..<8).map { UInt8(truncatingIfNeeded: hashed >> (8 * UInt64($0))) }
        }
    }

    /// The value a reversible vindex's keyspace id came from.
    public func reverse(_ keyspaceID: [UInt8]) -> VindexValue? {
        switch self {
        case .hash:
            guard keyspaceID.count == 8 else { return nil }
            return .unsigned(Self.number(Self.nullKeyDES.decrypt(keyspaceID)))
        case .numeric:
            guard keyspaceID.count == 8 else { return nil }
            return .unsigned(Self.number(keyspaceID))
        case .reverseBits:
            guard keyspaceID.count == 8 else { return nil }
            return .unsigned(Self.reversed(Self.number(keyspaceID)))
        case .binary:
            return .bytes(keyspaceID)
        case .xxhash, .binaryMD5, .unicodeLooseMD5, .unicodeLooseXXHash:
            return nil
        }
    }

    static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    static func number(_ bytes: [UInt8]) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }

    static func reversed(_ v: UInt64) -> UInt64 {
        var x = v
        var r: UInt64 = 0
        for _ in 0..<64 {
            r = r << 1 | (x & 1)
            x >>= 1
        }
        return r
    }
}
