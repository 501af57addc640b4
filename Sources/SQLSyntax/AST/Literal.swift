/// A literal value as written in a statement.
public enum Literal: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// An integer that fits Int64.
    case integer(Int64)
    /// An exact decimal as written (`3.50`, `18446744073709551615`): its digits give MySQL's
    /// precision and scale.
    case decimal(String)
    /// An approximate number (`1e3`, `1.5E-2`).
    case float(Double)
    case string(String)
    /// Bytes written in hex or bits (`0x1F`, `X'1F'`, `b'101'`).
    case bytes([UInt8])
}
