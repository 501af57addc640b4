import SQLSyntax

/// A value a vindex maps, typed as Vitess's `sqltypes` sees it (the type decides the conversion:
/// a signed -1 hashes as 2^64-1, a text '3' as 3, a hex literal as its bytes).
public enum VindexValue: Hashable, Sendable {
    case null
    case signed(Int64)
    case unsigned(UInt64)
    case float(Double)
    /// An exact decimal as written.
    case decimal(String)
    /// Text or binary: the raw bytes.
    case bytes([UInt8])

    /// The value of a literal in a statement.
    public init(_ literal: Literal) {
        switch literal {
        case .null: self = .null
        case .boolean(let b): self = .signed(b ? 1 : 0)
        case .integer(let v): self = .signed(v)
        case .decimal(let text):
            if let v = UInt64(text) { self = .unsigned(v) } else { self = .decimal(text) }
        case .float(let d): self = .float(d)
        case .string(let s): self = .bytes(Array(s.utf8))
        case .bytes(let b): self = .bytes(b)
        }
    }

    /// The value of a bound parameter or a row cell.
    public init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let v): self = .signed(v)
        case .real(let d): self = .float(d)
        case .text(let s): self = .bytes(Array(s.utf8))
        case .bytes(let b): self = .bytes(b)
        }
    }

    /// `Value.ToBytes()`: the value's raw SQL bytes (numbers as their decimal text).
    var rawBytes: [UInt8] {
        switch self {
        case .null: []
        case .signed(let v): Array(String(v).utf8)
        case .unsigned(let v): Array(String(v).utf8)
        case .float(let d): Array("\(d)".utf8)
        case .decimal(let text): Array(text.utf8)
        case .bytes(let b): b
        }
    }

    /// `ToCastUint64`: an unsigned value, a non-negative signed one, or text that parses as one.
    var castUInt64: UInt64? {
        switch self {
        case .signed(let v): v >= 0 ? UInt64(v) : nil
        case .unsigned(let v): v
        case .bytes(let b): UInt64(String(decoding: b, as: UTF8.self))
        case .decimal(let text): UInt64(text)
        case .null, .float: nil
        }
    }
}
