import SQLiteKit

/// Turns SQLite's errors into MySQL's numbers and wording; no SQLite text reaches a client.
enum SQLiteErrorMapping {
    static func mysqlError(_ error: SQLiteError, catalog: Catalog, database: String = "") -> MySQLError {
        let message = error.message
        // Errors raised by the node's own functions carry their MySQL form.
        if let parsed = parseMySQL(message) { return parsed }
        if message.hasPrefix("no such table: ") {
            let table = String(message.dropFirst("no such table: ".count))
            return .noSuchTable(database.isEmpty ? table : "\(database).\(table)")
        }
        if message.hasPrefix("no such column: ") {
            return .unknownColumn(String(message.dropFirst("no such column: ".count)))
        }
        if message.hasPrefix("ambiguous column name: ") {
            return .ambiguousColumn(String(message.dropFirst("ambiguous column name: ".count)))
        }
        if message.hasPrefix("UNIQUE constraint failed: ") {
            return .duplicateEntry("", key: keyName(uniqueColumns(message), catalog: catalog))
        }
        if message.hasPrefix("NOT NULL constraint failed: ") {
            let column = message.dropFirst("NOT NULL constraint failed: ".count).split(separator: ".").last.map(String.init) ?? "?"
            return .cannotBeNull(column)
        }
        if message.hasPrefix("no such function: ") {
            return .noSuchFunction(String(message.dropFirst("no such function: ".count)).uppercased())
        }
        if message.hasPrefix("wrong number of arguments to function ") {
            let name = message.dropFirst("wrong number of arguments to function ".count).prefix { $0 != "(" }
            return .wrongArguments(String(name).uppercased())
        }
        if message.contains("misuse of aggregate") {
            return MySQLError(code: 1111, sqlState: "HY000", message: "Invalid use of group function")
        }
        if message.hasPrefix("sub-select returns") || message.hasPrefix("row value misused") {
            return .operandColumns(1)
        }
        if message.contains("ORDER BY term out of range") || message.contains("1st ORDER BY term") {
            return .unknownColumn(message.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? "?", in: "order clause")
        }
        if message.contains("GROUP BY term out of range") {
            return .unknownColumn(message.split(separator: " ").first { Int($0) != nil }.map(String.init) ?? "?", in: "group statement")
        }
        if message == "integer overflow" {
            return .outOfRangeValue
        }
        if message.contains("SELECTs to the left and right of") {
            return MySQLError(code: 1222, sqlState: "21000", message: "The used SELECT statements have a different number of columns")
        }
        if message.hasPrefix("table ") && message.hasSuffix(" already exists") {
            return .tableExists(String(message.dropFirst(6).dropLast(15)))
        }
        if message.contains("too many columns") || message.contains("too many terms") {
            return MySQLError(code: 1117, sqlState: "HY000", message: "Too many columns")
        }
        if message.contains("parser stack overflow") || message.contains("Expression tree is too large") {
            return MySQLError(code: 1436, sqlState: "HY000", message: "Thread stack overrun")
        }
        if message.contains("at most 64 tables in a join") {
            return MySQLError(code: 1116, sqlState: "HY000", message: "Too many tables; MySQL can only use 61 tables in a join")
        }
        return .unknown("internal error in the node's storage (code \(error.code))")
    }

    /// The [table, column] pairs a `UNIQUE constraint failed` message names.
    static func uniqueColumns(_ message: String) -> [[String]] {
        message.dropFirst("UNIQUE constraint failed: ".count).split(separator: ",").map {
            $0.trimmingCharacters(in: " ").split(separator: ".").map(String.init)
        }
    }

    /// The table and key columns (with whether each compares bytes as they are) of the unique
    /// key `error` says was violated; nil for other errors.
    static func uniqueViolation(_ error: SQLiteError, catalog: Catalog) -> (table: TableSchema, columns: [Int], binary: [Bool])? {
        guard error.message.hasPrefix("UNIQUE constraint failed: ") else { return nil }
        let pairs = uniqueColumns(error.message)
        guard let name = pairs.first?.first, let table = catalog.table(name) else { return nil }
        var columns: [Int] = []
        for pair in pairs {
            guard let column = pair.last.flatMap(table.column(named:)) else { return nil }
            columns.append(column)
        }
        let key = catalog.writeProfile(table.name)?.lockedKeys.first { Set($0.columns) == Set(columns) }
        let binary = columns.map { c in key.flatMap { k in k.columns.firstIndex(of: c).map { k.binary[$0] } } ?? false }
        return (table, columns, binary)
    }

    /// The name of the unique key over `columns` (as [table, column] pairs).
    static func keyName(_ columns: [[String]], catalog: Catalog) -> String {
        guard let tableName = columns.first?.first, let table = catalog.table(tableName) else { return "PRIMARY" }
        let indexes = columns.compactMap { $0.last.flatMap(table.column(named:)) }
        if let key = table.uniqueKeys.first(where: { Set($0.columns) == Set(indexes) }) { return "\(table.name).\(key.name)" }
        if let rowID = table.rowIDColumn, indexes == [rowID] { return "\(table.name).PRIMARY" }
        return "\(table.name).PRIMARY"
    }

    /// `ERROR 1366 (HY000): text` back into a MySQLError.
    static func parseMySQL(_ message: String) -> MySQLError? {
        guard message.hasPrefix("ERROR "), let open = message.firstIndex(of: "("), let close = message.firstIndex(of: ")"),
              open < close, let code = Int(message[message.index(message.startIndex, offsetBy: 6)..<open].trimmingCharacters(in: " "))
        else { return nil }
        let state = String(message[message.index(after: open)..<close])
        let rest = message[message.index(after: close)...].drop { $0 == ":" || $0 == " " }
        return MySQLError(code: code, sqlState: state, message: String(rest))
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
