/// An error as a MySQL server reports it: number, SQLSTATE and message. Nodes never let SQLite's
/// own text reach a client; everything is mapped to one of these.
public struct MySQLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let sqlState: String
    public let message: String

    public init(code: Int, sqlState: String, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    /// `ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'`.
    public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }

    public static func duplicateEntry(_ value: String, key: String) -> MySQLError {
        MySQLError(code: 1062, sqlState: "23000", message: "Duplicate entry '\(value)' for key '\(key)'")
    }
    public static func syntax(_ detail: String) -> MySQLError {
        MySQLError(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax; \(detail)")
    }
    public static func noSuchTable(_ table: String) -> MySQLError {
        MySQLError(code: 1146, sqlState: "42S02", message: "Table '\(table)' doesn't exist")
    }
    public static func unknownTable(_ table: String) -> MySQLError {
        MySQLError(code: 1051, sqlState: "42S02", message: "Unknown table '\(table)'")
    }
    public static func tableExists(_ table: String) -> MySQLError {
        MySQLError(code: 1050, sqlState: "42S01", message: "Table '\(table)' already exists")
    }
    public static func unknownColumn(_ column: String, in place: String = "field list") -> MySQLError {
        MySQLError(code: 1054, sqlState: "42S22", message: "Unknown column '\(column)' in '\(place)'")
    }
    public static func ambiguousColumn(_ column: String) -> MySQLError {
        MySQLError(code: 1052, sqlState: "23000", message: "Column '\(column)' in field list is ambiguous")
    }
    public static let lockWaitTimeout = MySQLError(
        code: 1205, sqlState: "HY000", message: "Lock wait timeout exceeded; try restarting transaction")
    public static let deadlock = MySQLError(
        code: 1213, sqlState: "40001", message: "Deadlock found when trying to get lock; try restarting transaction")
    public static func outOfRange(_ column: String, row: Int) -> MySQLError {
        MySQLError(code: 1264, sqlState: "22003", message: "Out of range value for column '\(column)' at row \(row)")
    }
    public static func incorrectValue(_ type: String, _ value: String, column: String, row: Int) -> MySQLError {
        MySQLError(code: 1366, sqlState: "HY000", message: "Incorrect \(type) value: '\(value)' for column '\(column)' at row \(row)")
    }
    public static func truncated(_ column: String, row: Int) -> MySQLError {
        MySQLError(code: 1265, sqlState: "01000", message: "Data truncated for column '\(column)' at row \(row)")
    }
    public static func dataTooLong(_ column: String, row: Int) -> MySQLError {
        MySQLError(code: 1406, sqlState: "22001", message: "Data too long for column '\(column)' at row \(row)")
    }
    public static func cannotBeNull(_ column: String) -> MySQLError {
        MySQLError(code: 1048, sqlState: "23000", message: "Column '\(column)' cannot be null")
    }
    public static func noDefault(_ column: String) -> MySQLError {
        MySQLError(code: 1364, sqlState: "HY000", message: "Field '\(column)' doesn't have a default value")
    }
    public static func columnCountMismatch(row: Int) -> MySQLError {
        MySQLError(code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row \(row)")
    }
    public static func notSupported(_ what: String) -> MySQLError {
        MySQLError(code: 1235, sqlState: "42000", message: "This version of MySQL doesn't yet support '\(what)'")
    }
    public static let readOnly = MySQLError(
        code: 1290, sqlState: "HY000",
        message: "The MySQL server is running with the --super-read-only option so it cannot execute this statement")
    public static func noSuchFunction(_ name: String) -> MySQLError {
        MySQLError(code: 1305, sqlState: "42000", message: "FUNCTION \(name) does not exist")
    }
    public static func wrongArguments(_ name: String) -> MySQLError {
        MySQLError(code: 1582, sqlState: "42000", message: "Incorrect parameter count in the call to native function '\(name)'")
    }
    public static func unknownVariable(_ name: String) -> MySQLError {
        MySQLError(code: 1193, sqlState: "HY000", message: "Unknown system variable '\(name)'")
    }
    public static func invalidGroupBy(_ expression: String) -> MySQLError {
        MySQLError(code: 1055, sqlState: "42000", message: "Expression '\(expression)' of SELECT list is not in GROUP BY clause and contains nonaggregated column; this is incompatible with sql_mode=only_full_group_by")
    }
    public static let queryInterrupted = MySQLError(code: 1317, sqlState: "70100", message: "Query execution was interrupted")
    public static let serverGone = MySQLError(code: 2006, sqlState: "HY000", message: "MySQL server has gone away")
    public static let lostConnection = MySQLError(code: 2013, sqlState: "HY000", message: "Lost connection to MySQL server during query")
    public static func unknown(_ message: String) -> MySQLError {
        MySQLError(code: 1105, sqlState: "HY000", message: message)
    }
    public static let subqueryRows = MySQLError(code: 1242, sqlState: "21000", message: "Subquery returns more than 1 row")
    public static func operandColumns(_ count: Int) -> MySQLError {
        MySQLError(code: 1241, sqlState: "21000", message: "Operand should contain \(count) column(s)")
    }
    public static func savepointMissing(_ name: String) -> MySQLError {
        MySQLError(code: 1305, sqlState: "42000", message: "SAVEPOINT \(name) does not exist")
    }
    public static let outOfRangeValue = MySQLError(code: 1690, sqlState: "22003", message: "BIGINT value is out of range")
    public static func divisionByZero(row: Int) -> MySQLError {
        MySQLError(code: 1365, sqlState: "22012", message: "Division by 0")
    }
}
