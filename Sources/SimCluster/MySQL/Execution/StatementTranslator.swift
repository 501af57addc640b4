import SQLSyntax

/// Turns parsed MySQL statements into SQLite text with MySQL's meaning, using the node's catalog
/// and the session: session variables become literals, MySQL functions map to their SQLite
/// namesakes or to the node's own, INSERTs are completed (defaults, AUTO_INCREMENT, the node's
/// rowids, strict-mode conversions), ON DUPLICATE KEY UPDATE becomes an upsert, and UPDATE's
/// assignments take MySQL's left-to-right meaning.
struct StatementTranslator {
    let catalog: Catalog
    let session: MySQLSession
    let readOnly: Bool
    let serverID: UInt32
    let printer = SQLPrinter(dialect: .sqlite)

    /// MySQL functions and what SQLite calls them here (SQLite built-ins whose behaviour matches,
    /// or the node's own `mysql_*` functions).
    static let functions: [String: String] = [
        "IF": "iif", "IFNULL": "ifnull", "COALESCE": "coalesce", "NULLIF": "nullif", "ISNULL": "mysql_isnull",
        "LEFT": "mysql_left", "RIGHT": "mysql_right", "MOD": "mysql_mod", "DATABASE": "mysql_database", "SCHEMA": "mysql_database",
        "NOW": "mysql_now", "CURRENT_TIMESTAMP": "mysql_now", "LOCALTIME": "mysql_now", "LOCALTIMESTAMP": "mysql_now",
        "SYSDATE": "mysql_now", "UTC_TIMESTAMP": "mysql_now", "CURDATE": "mysql_curdate", "CURRENT_DATE": "mysql_curdate",
        "UTC_DATE": "mysql_curdate", "CURTIME": "mysql_curtime", "CURRENT_TIME": "mysql_curtime",
        "UNIX_TIMESTAMP": "mysql_unix_timestamp", "RAND": "mysql_rand", "LAST_INSERT_ID": "mysql_last_insert_id",
        "SUBSTRING": "mysql_substr", "SUBSTR": "mysql_substr", "MID": "mysql_substr", "LENGTH": "mysql_length",
        "OCTET_LENGTH": "mysql_length", "CHAR_LENGTH": "mysql_char_length", "CHARACTER_LENGTH": "mysql_char_length",
        "LOCATE": "mysql_locate", "INSTR": "mysql_instr", "HEX": "mysql_hex", "UPPER": "upper", "UCASE": "upper",
        "LOWER": "lower", "LCASE": "lower", "CEIL": "mysql_ceil", "CEILING": "mysql_ceil", "FLOOR": "mysql_floor",
        "POW": "pow", "POWER": "pow", "TRUNCATE": "mysql_truncate", "ROUND": "mysql_round", "CONCAT": "mysql_concat",
        "CONCAT_WS": "mysql_concat_ws", "SPACE": "mysql_space", "REPEAT": "mysql_repeat", "REVERSE": "mysql_reverse",
        "LPAD": "mysql_lpad", "RPAD": "mysql_rpad", "ASCII": "mysql_ascii", "ORD": "mysql_ascii", "SIGN": "mysql_sign",
        "ABS": "mysql_abs", "LN": "ln", "LOG": "mysql_log", "LOG2": "log2", "LOG10": "log10", "EXP": "exp", "SQRT": "sqrt",
        "PI": "pi", "SIN": "sin", "COS": "cos", "TAN": "tan", "ASIN": "asin", "ACOS": "acos", "ATAN": "atan",
        "ATAN2": "atan2", "DEGREES": "degrees", "RADIANS": "radians", "GREATEST": "max", "LEAST": "min",
        "STRCMP": "mysql_strcmp", "FIELD": "mysql_field", "ELT": "mysql_elt", "FIND_IN_SET": "mysql_find_in_set",
        "SUBSTRING_INDEX": "mysql_substring_index", "CHAR": "mysql_char", "TRIM": "trim", "LTRIM": "ltrim", "RTRIM": "rtrim",
        "REPLACE": "replace", "COUNT": "count", "SUM": "sum", "AVG": "avg", "MIN": "min", "MAX": "max",
        "GROUP_CONCAT": "GROUP_CONCAT",
    ]

    // MARK: Expressions

    /// Rewrites an expression for SQLite: variables, function names, VALUES() in upserts.
    func expression(_ e: SQLExpression, upsert: Bool = false) throws(MySQLError) -> SQLExpression {
        var failure: MySQLError?
        let rewritten = e.deepRewritten { node in guarded(node, upsert: upsert, failure: &failure) }
        if let failure { throw failure }
        return rewritten
    }

    /// Rewrites one node, recording the first error instead of throwing it through the rewrite.
    func guarded(_ node: SQLExpression, upsert: Bool, failure: inout MySQLError?) -> SQLExpression {
        guard failure == nil else { return node }
        do {
            return try rewriteNode(node, upsert: upsert)
        } catch let error as MySQLError {
            failure = error
        } catch {
            failure = .unknown("\(error)")
        }
        return node
    }

    func rewriteNode(_ node: SQLExpression, upsert: Bool) throws -> SQLExpression {
        switch node {
        case .variable(let name, let system):
            return system ? try systemVariable(name) : (session.userVariables[name] ?? .null).sqlLiteral
        case .function(var call):
            if call.name == "VALUES", upsert {
                guard call.arguments.count == 1, case .column(let column) = call.arguments[0] else { throw MySQLError.syntax("VALUES() takes a column") }
                return .column(ColumnName(table: TableName(name: "excluded"), name: column.name))
            }
            if call.name == "LTRIM_CHARS" || call.name == "RTRIM_CHARS" || (call.name == "TRIM" && call.arguments.count == 2) {
                let side: Int64 = call.name == "LTRIM_CHARS" ? 1 : (call.name == "RTRIM_CHARS" ? 2 : 0)
                return .function(FunctionCall(name: "mysql_trim_chars", arguments: call.arguments + [.integer(side)]))
            }
            if call.name == "COUNT" && call.arguments.count > 1 { throw MySQLError.notSupported("COUNT(DISTINCT) with several expressions") }
            if call.name == "GROUP_CONCAT" && !call.orderBy.isEmpty { throw MySQLError.notSupported("GROUP_CONCAT with ORDER BY") }
            if call.name == "GROUP_CONCAT" && call.distinct && call.separator != nil && call.separator != "," {
                throw MySQLError.notSupported("GROUP_CONCAT(DISTINCT ...) with a SEPARATOR")
            }
            guard let name = Self.functions[call.name] else {
                if FunctionCall.aggregateNames.contains(call.name) { throw MySQLError.notSupported("the aggregate \(call.name)") }
                throw MySQLError.noSuchFunction(call.name)
            }
            if call.name == "GREATEST" || call.name == "LEAST", call.arguments.count < 2 { throw MySQLError.wrongArguments(call.name) }
            call.name = name
            return .function(call)
        case .defaultValue:
            throw MySQLError.notSupported("DEFAULT outside INSERT and UPDATE values")
        case .regexp:
            throw MySQLError.notSupported("REGEXP")
        case .interval:
            throw MySQLError.notSupported("INTERVAL arithmetic")
        case .binary(.jsonExtract, _, _), .binary(.jsonUnquoteExtract, _, _):
            throw MySQLError.notSupported("JSON operators")
        case .parameter(let name?, _) where name.hasPrefix(":"):
            throw MySQLError.notSupported("list bind variables")
        default:
            return node
        }
    }

    func systemVariable(_ name: String) throws -> SQLExpression {
        let bare = name.hasPrefix("session.") ? String(name.dropFirst(8)) : (name.hasPrefix("global.") ? String(name.dropFirst(7)) : name)
        switch bare {
        case "autocommit": return .integer(session.autocommit ? 1 : 0)
        case "version": return .string("8.0.40-vtsim")
        case "version_comment": return .string("vtsim MySQL node on SQLite")
        case "server_id": return .integer(Int64(serverID))
        case "read_only", "super_read_only": return .integer(readOnly ? 1 : 0)
        case "transaction_isolation", "tx_isolation": return .string("READ-COMMITTED")
        case "sql_mode": return .string("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION")
        case "lower_case_table_names": return .integer(0)
        case "max_allowed_packet": return .integer(67_108_864)
        case "character_set_client", "character_set_connection", "character_set_results": return .string("utf8mb4")
        case "collation_connection": return .string("utf8mb4_general_ci")
        default: throw MySQLError.unknownVariable(bare)
        }
    }

    // MARK: Queries

    /// The SQLite text of a query and the names of its result columns (nil: take SQLite's).
    func query(_ q: SelectQuery) throws(MySQLError) -> (sql: String, columns: [String]?) {
        var failure: MySQLError?
        let rewritten = q.rewritingExpressions { node in guarded(node, upsert: false, failure: &failure) }
        if let failure { throw failure }
        try checkTables(q)
        return (printer.print(rewritten), columnNames(q.firstSelect))
    }

    /// MySQL's names for the columns of `select`: the alias, the column's name, or the
    /// expression's text.
    func columnNames(_ select: SelectStatement) -> [String]? {
        var names: [String] = []
        for item in select.columns {
            guard case .expression(let e, let alias) = item else { return nil }
            if let alias { names.append(alias) } else if case .column(let c) = e { names.append(c.name) } else {
                names.append(SQLPrinter().print(e))
            }
        }
        return names
    }

    /// Refuses qualified names that point at another database.
    func checkTables(_ q: SelectQuery) throws(MySQLError) {
        for reference in q.firstSelect.from {
            for (table, _) in reference.namedTables where catalog.table(table.name) == nil {
                throw MySQLError.noSuchTable(session.database.isEmpty ? table.name : "\(session.database).\(table.name)")
            }
        }
    }

    /// The select items with `*` and `t.*` replaced by the columns of the tables they stand for
    /// (tables this node holds; other items unchanged).
    func expandingStars(_ select: SelectStatement) -> [SelectItem] {
        let named = select.from.flatMap(\.namedTables)
        return select.columns.flatMap { item -> [SelectItem] in
            guard case .star(let qualifier) = item else { return [item] }
            let chosen = named.filter { qualifier == nil || ($0.alias ?? $0.table.name) == qualifier?.name }
            let expanded = chosen.compactMap { entry -> [SelectItem]? in
                guard let table = catalog.table(entry.table.name) else { return nil }
                let q = TableName(name: entry.alias ?? entry.table.name)
                return table.columns.map { .expression(.column(ColumnName(table: q, name: $0.name)), alias: nil) }
            }
            return expanded.count == chosen.count && !chosen.isEmpty && select.from.allSatisfy({ !$0.hasDerived }) ? expanded.flatMap { $0 } : [item]
        }
    }

    // MARK: Writes

    func table(_ name: TableName) throws(MySQLError) -> TableSchema {
        guard let table = catalog.table(name.name) else {
            throw MySQLError.noSuchTable(session.database.isEmpty ? name.name : "\(session.database).\(name.name)")
        }
        return table
    }

    /// The SQLite text of an INSERT or REPLACE.
    func insert(_ insert: InsertStatement) throws(MySQLError) -> (sql: String, table: TableSchema) {
        let table = try table(insert.table)
        var targets: [Int] = []
        if insert.columns.isEmpty {
            targets = Array(table.columns.indices)
        } else {
            for name in insert.columns {
                guard let i = table.column(named: name) else { throw MySQLError.unknownColumn(name) }
                guard !targets.contains(i) else {
                    throw MySQLError(code: 1110, sqlState: "42000", message: "Column '\(table.columns[i].name)' specified twice")
                }
                targets.append(i)
            }
        }
        let names = (table.rowIDColumn == nil ? ["rowid"] : []) + table.columns.map { printer.identifier($0.name) }
        var sql = insert.replace ? "REPLACE INTO " : (insert.ignore ? "INSERT OR IGNORE INTO " : "INSERT INTO ")
        sql += printer.identifier(table.name) + " (" + names.joined(separator: ", ") + ") "
        switch insert.source {
        case .values(let rows):
            var rendered: [String] = []
            for (r, row) in rows.enumerated() {
                guard row.count == targets.count else { throw MySQLError.columnCountMismatch(row: r + 1) }
                var values: [String] = []
                if table.rowIDColumn == nil { values.append("mysql_next_rowid(\(printer.stringLiteral(table.name)))") }
                for (c, column) in table.columns.enumerated() {
                    let provided = targets.firstIndex(of: c).map { row[$0] }
                    values.append(try columnValue(provided, column: column, table: table, row: r + 1))
                }
                rendered.append("(" + values.joined(separator: ", ") + ")")
            }
            sql += "VALUES " + rendered.joined(separator: ", ")
        case .select(let source):
            // The source's columns are named __c1, __c2... and read from a derived table.
            var named = source
            if case .select(var first) = named {
                first.columns = expandingStars(first)
                first.columns = first.columns.enumerated().map { i, item in
                    if case .expression(let e, _) = item { return .expression(e, alias: "__c\(i + 1)") }
                    return item
                }
                named = .select(first)
            }
            let (inner, _) = try query(named)
            var values: [String] = []
            if table.rowIDColumn == nil { values.append("mysql_next_rowid(\(printer.stringLiteral(table.name)))") }
            for (c, column) in table.columns.enumerated() {
                let provided = targets.firstIndex(of: c).map { SQLExpression.column(ColumnName(table: TableName(name: "__src"), name: "__c\($0 + 1)")) }
                values.append(try columnValue(provided, column: column, table: table, row: 1))
            }
            sql += "SELECT " + values.joined(separator: ", ") + " FROM (" + inner + ") AS \"__src\" WHERE true"
        }
        if !insert.onDuplicateKeyUpdate.isEmpty {
            var sets: [String] = []
            for assignment in insert.onDuplicateKeyUpdate {
                guard let c = table.column(named: assignment.column.name) else { throw MySQLError.unknownColumn(assignment.column.name) }
                let value = printer.print(try expression(assignment.value, upsert: true))
                sets.append(printer.identifier(table.columns[c].name) + " = " + MySQLFunctions.conversion(value, for: table.columns[c], row: 1))
            }
            sql += " ON CONFLICT DO UPDATE SET " + sets.joined(separator: ", ")
        }
        return (sql, table)
    }

    /// The SQLite value written into `column`: the provided expression or the column's default,
    /// AUTO_INCREMENT applied, converted to the column's type.
    func columnValue(_ provided: SQLExpression?, column: TableSchema.Column, table: TableSchema, row: Int) throws(MySQLError) -> String {
        var value: String
        if let provided, provided != .defaultValue(nil) {
            value = printer.print(try expression(provided))
        } else if column.autoIncrement {
            value = "NULL"
        } else if let defaultValue = column.defaultValue {
            if case .function(let call) = defaultValue, call.name == "CURRENT_TIMESTAMP" {
                value = "mysql_now()"
            } else {
                value = printer.print(try expression(defaultValue))
            }
        } else if column.nullable {
            value = "NULL"
        } else {
            throw MySQLError.noDefault(column.name)
        }
        if column.autoIncrement {
            value = "mysql_autoinc(\(printer.stringLiteral(table.name)), \(value))"
        }
        return MySQLFunctions.conversion(value, for: column, row: row)
    }

    /// The SQLite text of an UPDATE. MySQL assigns left to right: a later assignment sees the
    /// new value of an earlier one, so earlier expressions are substituted into later ones.
    func update(_ update: UpdateStatement) throws(MySQLError) -> (sql: String, table: TableSchema) {
        let table = try table(update.table)
        var assigned: [(column: Int, value: SQLExpression)] = []
        for assignment in update.assignments {
            guard let c = table.column(named: assignment.column.name) else { throw MySQLError.unknownColumn(assignment.column.name) }
            if let qualifier = assignment.column.table?.name, qualifier != table.name && qualifier != update.alias {
                throw MySQLError.unknownColumn("\(qualifier).\(assignment.column.name)")
            }
            var value = assignment.value
            if !assigned.isEmpty {
                value = value.rewritten { node in
                    guard case .column(let ref) = node, ref.table == nil || ref.table?.name == table.name || ref.table?.name == update.alias,
                          let i = table.column(named: ref.name), let earlier = assigned.last(where: { $0.column == i }) else { return node }
                    return earlier.value
                }
            }
            assigned.append((c, value))
        }
        var sets: [String] = []
        for (c, value) in assigned {
            let column = table.columns[c]
            var text = value == .defaultValue(nil) ? try defaultText(column) : printer.print(try expression(value))
            if column.autoIncrement { text = "mysql_autoinc(\(printer.stringLiteral(table.name)), \(text))" }
            sets.append(printer.identifier(column.name) + " = " + MySQLFunctions.conversion(text, for: column, row: 1))
        }
        var sql = "UPDATE " + (update.ignore ? "OR IGNORE " : "") + printer.identifier(table.name)
        if let alias = update.alias { sql += " AS " + printer.identifier(alias) }
        sql += " SET " + sets.joined(separator: ", ")
        if let condition = update.whereClause { sql += " WHERE " + printer.print(try expression(condition)) }
        sql += try orderAndLimit(update.orderBy, update.limit)
        return (sql, table)
    }

    func defaultText(_ column: TableSchema.Column) throws(MySQLError) -> String {
        if let value = column.defaultValue {
            if case .function(let call) = value, call.name == "CURRENT_TIMESTAMP" { return "mysql_now()" }
            return printer.print(try expression(value))
        }
        guard column.nullable || column.autoIncrement else { throw MySQLError.noDefault(column.name) }
        return "NULL"
    }

    /// The SQLite text of a DELETE.
    func delete(_ delete: DeleteStatement) throws(MySQLError) -> (sql: String, table: TableSchema) {
        let table = try table(delete.table)
        var sql = "DELETE FROM " + printer.identifier(table.name)
        if let alias = delete.alias { sql += " AS " + printer.identifier(alias) }
        if let condition = delete.whereClause { sql += " WHERE " + printer.print(try expression(condition)) }
        sql += try orderAndLimit(delete.orderBy, delete.limit)
        return (sql, table)
    }

    func orderAndLimit(_ orderBy: [OrderItem], _ limit: Limit?) throws(MySQLError) -> String {
        var text = ""
        if !orderBy.isEmpty {
            text += " ORDER BY " + (try orderBy.map { item throws(MySQLError) in
                printer.print(try expression(item.expression)) + (item.descending ? " DESC" : " ASC")
            }).joined(separator: ", ")
        }
        if let limit {
            text += " LIMIT " + printer.print(try expression(limit.count))
        } else if !orderBy.isEmpty {
            text += " LIMIT -1"  // SQLite takes ORDER BY on UPDATE and DELETE only with a LIMIT
        }
        return text
    }

    /// `SELECT alias.rowid, ...` over the FROM and WHERE of a locking read: the rows it locks.
    func lockedRows(_ select: SelectStatement) throws(MySQLError) -> (sql: String, tables: [String])? {
        var tables: [String] = []
        var columns: [String] = []
        for reference in select.from {
            for (table, alias) in reference.namedTables {
                tables.append(table.name)
                columns.append(printer.identifier(alias ?? table.name) + ".rowid")
            }
        }
        guard !tables.isEmpty else { return nil }
        var stripped = select
        stripped.columns = [.expression(.integer(1), alias: nil)]
        stripped.groupBy = []
        stripped.having = nil
        stripped.orderBy = []
        stripped.limit = nil
        stripped.distinct = false
        stripped.lock = nil
        let (base, _) = try query(.select(stripped))
        // The select list is usually first; search the bytes otherwise (generic search is slow).
        if base.hasPrefix("SELECT 1 ") { return ("SELECT " + columns.joined(separator: ", ") + base.dropFirst(8), tables) }
        guard let range = base.range(of: "SELECT 1") else { return nil }
        return (String(base[..<range.lowerBound]) + "SELECT " + columns.joined(separator: ", ") + String(base[range.upperBound...]), tables)
    }
}

extension String {
    func range(of target: String) -> Range<String.Index>? { firstRange(of: target) }
}
