import SQLSyntax

/// How the gateway compares and groups values when it merges shard results, as MySQL does for
/// one column: NULL before everything, numbers numerically (integers exactly), texts under the
/// nodes' collation (`utf8mb4_general_ci`, trailing spaces ignored), a text against a number as
/// numbers, bytes byte-wise (Vitess's `evalengine.NullsafeCompare`).
public enum ValueOrder {
    /// <0, 0 or >0.
    public static func compare(_ a: SQLValue, _ b: SQLValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.integer(let x), .integer(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.text(let x), .text(let y)): return MySQLCollation.compare(x, y)
        case (.bytes(let x), .bytes(let y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        default:
            let x = MySQLNumbers.number(a.sqlite)?.double ?? 0
            let y = MySQLNumbers.number(b.sqlite)?.double ?? 0
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }

    /// Compares rows by sort keys (column, descending), in order.
    public static func compare(_ a: [SQLValue], _ b: [SQLValue], by keys: [SortKey]) -> Int {
        for key in keys {
            let c = compare(a[key.column], b[key.column])
            if c != 0 { return key.descending ? -c : c }
        }
        return 0
    }

    /// A hashable key equal for values MySQL calls equal (for DISTINCT and grouping by hash).
    public static func groupKey(_ value: SQLValue) -> GroupKey {
        switch value {
        case .null: .null
        case .integer(let v): .number(Double(v), exact: v)
        case .real(let d): d == d.rounded() && abs(d) < 9e15 ? .number(d, exact: Int64(d)) : .number(d, exact: nil)
        case .text(let s): .text(MySQLCollation.key(s))
        case .bytes(let b): .bytes(b)
        }
    }

    /// A value's grouping identity.
    public enum GroupKey: Hashable, Sendable {
        case null
        /// Integral numbers compare by their exact integer.
        case number(Double, exact: Int64?)
        case text([UInt32])
        case bytes([UInt8])

        public static func == (a: GroupKey, b: GroupKey) -> Bool {
            switch (a, b) {
            case (.null, .null): true
            case (.number(let x, let i), .number(let y, let j)): (i != nil && j != nil) ? i == j : x == y
            case (.text(let x), .text(let y)): x == y
            case (.bytes(let x), .bytes(let y)): x == y
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .null: hasher.combine(0)
            case .number(let d, _): hasher.combine(1); hasher.combine(d)
            case .text(let t): hasher.combine(2); hasher.combine(t)
            case .bytes(let b): hasher.combine(3); hasher.combine(b)
            }
        }
    }
}

/// One key of an ordering: a column of the rows and its direction.
public struct SortKey: Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var descending: Bool

    public init(column: Int, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    public var description: String { "\(column) \(descending ? "DESC" : "ASC")" }
}
