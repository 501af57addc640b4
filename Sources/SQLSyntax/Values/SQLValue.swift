/// A value in a result row or a bound parameter, as the gateway, the tablets and the nodes pass
/// them. MySQL's exact DECIMALs travel as `real`; result formatting uses the column's type.
public enum SQLValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var integer: Int64? {
        switch self {
        case .integer(let v): v
        case .real(let d) where d.rounded() == d && abs(d) < 9.2e18: Int64(d)
        case .text(let s): Int64(s)
        default: nil
        }
    }

    public var real: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .real(let d): d
        case .text(let s): Double(s)
        default: nil
        }
    }

    /// The value as MySQL shows it in a text result (NULL as `NULL`).
    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let v): String(v)
        case .real(let d): SQLValue.format(d)
        case .text(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        }
    }

    /// A double as MySQL prints a DOUBLE: integral values without a fraction, otherwise the
    /// shortest form that reads back exactly.
    public static func format(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "NULL" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// The value as a literal in a MySQL statement.
    public var sqlLiteral: SQLExpression {
        switch self {
        case .null: .null
        case .integer(let v): .literal(.integer(v))
        case .real(let d): .literal(.float(d))
        case .text(let s): .literal(.string(s))
        case .bytes(let b): .literal(.bytes(b))
        }
    }
}
