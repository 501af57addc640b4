import CSQLite

/// SQLite result codes Swift cannot import (the extended codes are macro expressions).
public enum ResultCode {
    public static let ok = SQLITE_OK
    public static let error = SQLITE_ERROR
    public static let busy = SQLITE_BUSY
    public static let constraint = SQLITE_CONSTRAINT
    public static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)
    public static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    public static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)
    public static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    public static let constraintDatatype: Int32 = SQLITE_CONSTRAINT | (12 << 8)
}
