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
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        func mix(_ text: String) {
            for byte in text.utf8 { mix(byte) }
            mix(0xff)  // no UTF-8 byte: separates consecutive strings
        }
        mix(table)
        switch target {
        case .row(let rowID):
            mix(1)
            var v = UInt64(bitPattern: rowID)
            for _ in 0..<8 { mix(UInt8(truncatingIfNeeded: v)); v >>= 8 }
        case .uniqueValue(let key, let value): mix(2); mix(key); mix(value)
        case .keyPrefix(let key, let value): mix(3); mix(key); mix(value)
        case .gaps: mix(4)
        }
        digest = h
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
