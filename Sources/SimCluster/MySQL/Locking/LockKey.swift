/// What a lock covers: one row (by rowid), or one value of a unique key (so that two transactions
/// cannot both insert the same key, as InnoDB's index locks prevent).
public struct LockKey: Hashable, Sendable, CustomStringConvertible {
    public enum Target: Hashable, Sendable {
        case row(Int64)
        /// A unique key's value, normalized as the key compares (collation, numeric equality).
        case uniqueValue(key: String, value: String)
        /// The rows of a composite unique key that share its leading columns' values: a search
        /// by that prefix holds it exclusive (InnoDB's next-key locks on the prefix's range) and
        /// every insert shared, so such a search and an insert with the same prefix wait for
        /// each other while other prefixes go on.
        case keyPrefix(key: String, value: String)
        /// The gaps between a table's rows, coarsened to the whole table: every insert holds it
        /// shared (InnoDB's insert intention) and a locking scan exclusive (its next-key locks),
        /// so a locking scan waits for uncommitted inserts and inserts wait for it.
        case gaps
    }

    public let table: String
    public let target: Target
    /// An FNV-1a hash of the key, made once: lock tables hash each key several times, and
    /// hashing the strings with Swift's hasher each time was a visible share of a run.
    private let digest: UInt64

    public init(table: String, target: Target) {
        self.table = table
        self.target = target
        var h = Digest()
        h.mix(table)
        switch target {
        case .row(let rowID): h.mix(word: 1); h.mix(word: UInt64(bitPattern: rowID))
        case .uniqueValue(let key, let value): h.mix(word: 2); h.mix(key); h.mix(value)
        case .keyPrefix(let key, let value): h.mix(word: 3); h.mix(key); h.mix(value)
        case .gaps: h.mix(word: 4)
        }
        digest = h.state
    }

    /// The digest's mixer: eight bytes of a string at a time (a key's table name alone is often
    /// longer than that), each word folded in with a multiply-rotate round.
    private struct Digest {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func mix(word: UInt64) {
            let mixed = state ^ word &* 0x9E37_79B1_85EB_CA87
            state = (mixed << 27 | mixed >> 37) &* 0xC2B2_AE3D_27D4_EB4F
        }

        mutating func mix(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                var index = 0
                while index + 8 <= raw.count {
                    mix(word: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                    index += 8
                }
                var last: UInt64 = UInt64(raw.count) << 56  // the length ends every string
                var shift: UInt64 = 0
                while index < raw.count {
                    last |= UInt64(raw[index]) << shift
                    shift += 8
                    index += 1
                }
                mix(word: last)
            }
        }
    }

    public static func == (a: LockKey, b: LockKey) -> Bool {
        a.digest == b.digest && a.target == b.target && a.table == b.table
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    public var description: String {
        switch target {
        case .row(let rowID): "\(table)#\(rowID)"
        case .uniqueValue(let key, let value): "\(table).\(key)=\(value)"
        case .keyPrefix(let key, let value): "\(table).\(key)^=\(value)"
        case .gaps: "\(table) gaps"
        }
    }
}

/// Shared (`LOCK IN SHARE MODE`) or exclusive (writes, `FOR UPDATE`).
public enum LockMode: Sendable, Equatable {
    case shared
    case exclusive

    func compatible(with other: LockMode) -> Bool { self == .shared && other == .shared }
}
