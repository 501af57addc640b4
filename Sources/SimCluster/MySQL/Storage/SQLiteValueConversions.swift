import SimCore
import SQLSyntax
import SQLiteKit

extension SQLiteValue {
    /// Folds the value into a fingerprint (type tag, then value).
    func fingerprint(into hasher: inout TraceHasher) {
        switch self {
        case .null: hasher.combine(0)
        case .integer(let v): hasher.combine(1); hasher.combine(UInt64(bitPattern: v))
        case .real(let d): hasher.combine(2); hasher.combine(d.bitPattern)
        case .text(let s): hasher.combine(3); hasher.combine(s)
        case .blob(let b): hasher.combine(4); hasher.combine(String(decoding: b, as: UTF8.self))
        }
    }
}

/// MySQL values as SQLite stores them, and back.
extension SQLValue {
    public init(_ value: SQLiteValue) {
        switch value {
        case .null: self = .null
        case .integer(let v): self = .integer(v)
        case .real(let d): self = .real(d)
        case .text(let s): self = .text(s)
        case .blob(let b): self = .bytes(b)
        }
    }

    public var sqlite: SQLiteValue {
        switch self {
        case .null: .null
        case .integer(let v): .integer(v)
        case .real(let d): .real(d)
        case .text(let s): .text(s)
        case .bytes(let b): .blob(b)
        }
    }
}
