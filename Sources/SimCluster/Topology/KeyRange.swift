/// A shard's key range as Vitess defines it: half-open [start, end), compared byte by byte, an
/// empty start meaning the lowest key and an empty end the highest (`go/vt/key/key.go`).
public struct KeyRange: Sendable, Hashable, CustomStringConvertible {
    public let start: [UInt8]
    public let end: [UInt8]

    public init(start: [UInt8], end: [UInt8]) {
        self.start = Self.normalized(start)
        self.end = Self.normalized(end)
    }

    /// The full range (shard `0`, or `-`).
    public static let full = KeyRange(start: [], end: [])

    /// Parses a shard name: `-80`, `40-80`, `80-`, or a name without `-` (the full range).
    public init?(shardName: String) {
        let name = shardName.lowercased()
        guard name.contains("-") else {
            guard !name.isEmpty else { return nil }
            self = .full
            return
        }
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.hex(parts[0]), let end = Self.hex(parts[1]) else { return nil }
        let range = KeyRange(start: start, end: end)
        guard range.end.isEmpty || range.start.lexicographicallyPrecedes(range.end) else { return nil }
        self = range
    }

    static func hex(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Trailing zero bytes do not matter (`-80` equals `00-8000`).
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        while b.last == 0 { b.removeLast() }
        return b
    }

    public var isFull: Bool { start.isEmpty && end.isEmpty }

    /// Whether the keyspace id `id` falls in the range.
    public func contains(_ id: [UInt8]) -> Bool {
        let key = Self.normalized(id)
        let afterStart = start.isEmpty || !key.lexicographicallyPrecedes(start)
        let beforeEnd = end.isEmpty || key.lexicographicallyPrecedes(end)
        return afterStart && beforeEnd
    }

    /// Whether the two ranges share a key.
    public func intersects(_ other: KeyRange) -> Bool {
        let startsBeforeOtherEnds = other.end.isEmpty || start.lexicographicallyPrecedes(other.end)
        let otherStartsBeforeEnd = end.isEmpty || other.start.lexicographicallyPrecedes(end)
        return startsBeforeOtherEnds && otherStartsBeforeEnd
    }

    public var description: String {
        func hex(_ b: [UInt8]) -> String { b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        return isFull ? "-" : hex(start) + "-" + hex(end)
    }

    /// Vitess's names for an even split into `count` shards (`key.GenerateShardRanges`):
    /// `-80,80-` for 2, `-40,40-80,80-c0,c0-` for 4, `-55,55-aa,aa-` for 3; `0` for 1.
    public static func evenShardNames(_ count: Int) -> [String] {
        precondition(count >= 1, "a keyspace needs a shard")
        if count == 1 { return ["0"] }
        let width = count <= 256 ? 1 : 2
        let space = 1 << (8 * width)
        func hex(_ value: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 2 * width - digits.count) + digits
        }
        var bounds: [String] = [""]
        for i in 1..<count { bounds.append(hex(i * space / count)) }
        bounds.append("")
        return (0..<count).map { bounds[$0] + "-" + bounds[$0 + 1] }
    }
}
