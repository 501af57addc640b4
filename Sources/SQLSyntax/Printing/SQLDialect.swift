/// The text an AST is printed as.
public enum SQLDialect: Sendable {
    /// MySQL, as the gateway and tablets exchange it; parses back to the same AST.
    case mysql
    /// SQLite with MySQL's meaning: operators whose semantics differ call helper functions that
    /// the MySQL node registers on its connections (see `SQLiteHelpers`).
    case sqlite
}

/// The helper functions the SQLite dialect relies on, with their arities. The MySQL node registers
/// an implementation of each on every connection.
public enum SQLiteHelpers {
    public static let integerDivide = "mysql_div"          // a DIV b
    public static let modulo = "mysql_mod"                 // a MOD b, a % b
    public static let bitXor = "mysql_bitxor"              // a ^ b
    public static let bitAnd = "mysql_bitand"
    public static let bitOr = "mysql_bitor"
    public static let bitNot = "mysql_bitnot"
    public static let shiftLeft = "mysql_shl"
    public static let shiftRight = "mysql_shr"
    public static let logicalXor = "mysql_xor"
    public static let castSigned = "mysql_cast_signed"
    public static let castUnsigned = "mysql_cast_unsigned"
    public static let castDecimal = "mysql_cast_decimal"   // (x, precision, scale)
    public static let castChar = "mysql_cast_char"         // (x[, length])
    public static let collation = "mysql_ci"               // the default text collation
}
