/// Writes statements and expressions as text in a dialect, with the parentheses precedence needs.
public struct SQLPrinter: Sendable {
    public let dialect: SQLDialect

    public init(dialect: SQLDialect = .mysql) { self.dialect = dialect }

    // MARK: Statements

    public func print(_ statement: SQLStatement) -> String {
        switch statement {
        case .select(let query): return print(query)
        case .insert(let insert): return print(insert)
        case .update(let update): return print(update)
        case .delete(let delete): return print(delete)
        case .createTable(let create): return print(create)
        case .createIndex(let create):
            return "CREATE \(create.unique ? "UNIQUE " : "")INDEX \(identifier(create.index.name ?? "")) ON \(table(create.table)) "
                + indexColumns(create.index)
        case .dropTable(let drop):
            return "DROP TABLE \(drop.ifExists ? "IF EXISTS " : "")" + drop.tables.map(table).joined(separator: ", ")
        case .dropIndex(let name, let t):
            return dialect == .mysql ? "DROP INDEX \(identifier(name)) ON \(table(t))" : "DROP INDEX \(identifier(name))"
        case .truncate(let t): return dialect == .mysql ? "TRUNCATE TABLE \(table(t))" : "DELETE FROM \(table(t))"
        case .begin: return "BEGIN"
        case .commit: return "COMMIT"
        case .rollback: return "ROLLBACK"
        case .savepoint(let name): return "SAVEPOINT \(identifier(name))"
        case .releaseSavepoint(let name): return "RELEASE SAVEPOINT \(identifier(name))"
        case .rollbackToSavepoint(let name): return "ROLLBACK TO SAVEPOINT \(identifier(name))"
        case .use(let use):
            var target = use.keyspace
            if let shard = use.shard { target += ":" + shard }
            if let type = use.tabletType { target += "@" + type }
            return "USE `\(target)`"
        case .set(let assignments):
            return "SET " + assignments.map { a in
                switch a.scope {
                case .user: "@\(a.name) = \(print(a.value))"
                case .global: "GLOBAL \(a.name) = \(print(a.value))"
                case .session: "\(a.name) = \(print(a.value))"
                }
            }.joined(separator: ", ")
        case .show(let show): return print(show)
        }
    }

    func print(_ show: ShowStatement) -> String {
        switch show {
        case .vitessShards: "SHOW VITESS_SHARDS"
        case .vitessTablets: "SHOW VITESS_TABLETS"
        case .tables(let from): "SHOW TABLES" + (from.map { " FROM " + identifier($0) } ?? "")
        case .warnings: "SHOW WARNINGS"
        case .databases: "SHOW DATABASES"
        case .unresolvedTransactions(let keyspace): "SHOW UNRESOLVED TRANSACTIONS" + (keyspace.map { " FOR \(identifier($0))" } ?? "")
        case .transactionStatus(let dtid): "SHOW TRANSACTION STATUS FOR \(stringLiteral(dtid))"
        case .createTable(let t): "SHOW CREATE TABLE \(table(t))"
        case .columns(let t): "SHOW COLUMNS FROM \(table(t))"
        }
    }

    public func print(_ query: SelectQuery) -> String {
        switch query {
        case .select(let select): return print(select)
        case .compound(let compound): return print(compound)
        }
    }

    func setPrecedence(_ op: CompoundSelect.Operator) -> Int { op == .intersect ? 2 : 1 }

    func print(_ compound: CompoundSelect) -> String {
        let parent = setPrecedence(compound.op)
        func member(_ query: SelectQuery, isLeft: Bool) -> String {
            let needsWrap: Bool
            switch query {
            case .select(let s):
                needsWrap = !s.orderBy.isEmpty || s.limit != nil
            case .compound(let c):
                needsWrap = !isLeft || setPrecedence(c.op) < parent || !c.orderBy.isEmpty || c.limit != nil
                    || (dialect == .sqlite && setPrecedence(c.op) != parent)
            }
            guard needsWrap else { return print(query) }
            // SQLite takes no parenthesized members: wrap as a derived table instead.
            return dialect == .mysql ? "(\(print(query)))" : "SELECT * FROM (\(print(query)))"
        }
        var text = member(compound.left, isLeft: true) + " \(compound.op.rawValue)" + (compound.all ? " ALL " : " ")
            + member(compound.right, isLeft: false)
        if !compound.orderBy.isEmpty { text += " ORDER BY " + orderItems(compound.orderBy) }
        if let limit = compound.limit { text += " " + print(limit) }
        return text
    }

    public func print(_ select: SelectStatement) -> String {
        var text = "SELECT "
        if select.distinct { text += "DISTINCT " }
        text += select.columns.map(print).joined(separator: ", ")
        if !select.from.isEmpty { text += " FROM " + select.from.map(print).joined(separator: ", ") }
        if let condition = select.whereClause { text += " WHERE " + print(condition) }
        if !select.groupBy.isEmpty { text += " GROUP BY " + select.groupBy.map(print).joined(separator: ", ") }
        if let having = select.having { text += " HAVING " + print(having) }
        if !select.orderBy.isEmpty { text += " ORDER BY " + orderItems(select.orderBy) }
        if let limit = select.limit { text += " " + print(limit) }
        if let lock = select.lock, dialect == .mysql { text += " " + lock.rawValue }
        return text
    }

    func print(_ item: SelectItem) -> String {
        switch item {
        case .star(let table): table.map { self.table($0) + ".*" } ?? "*"
        case .expression(let expression, let alias): print(expression) + (alias.map { " AS " + identifier($0) } ?? "")
        }
    }

    func orderItems(_ items: [OrderItem]) -> String {
        items.map { print($0.expression) + ($0.descending ? " DESC" : " ASC") }.joined(separator: ", ")
    }

    func print(_ limit: Limit) -> String {
        guard let offset = limit.offset else { return "LIMIT \(print(limit.count))" }
        // MySQL's `LIMIT offset, count` keeps positional `?`s in their written order.
        return dialect == .mysql ? "LIMIT \(print(offset)), \(print(limit.count))" : "LIMIT \(print(limit.count)) OFFSET \(print(offset))"
    }

    public func print(_ reference: TableReference) -> String {
        switch reference {
        case .table(let name, let alias):
            return table(name) + (alias.map { " AS " + identifier($0) } ?? "")
        case .derived(let query, let alias):
            return "(\(print(query))) AS \(identifier(alias))"
        case .join(let join):
            var rightText = print(join.right)
            if case .join = join.right { rightText = "(\(rightText))" }
            var kind = join.kind.rawValue
            if dialect == .sqlite && join.kind == .straight { kind = "JOIN" }
            var text = print(join.left) + " \(kind) " + rightText
            switch join.condition {
            case .on(let condition)?: text += " ON " + print(condition)
            case .using(let columns)?: text += " USING (" + columns.map(identifier).joined(separator: ", ") + ")"
            case nil: break
            }
            return text
        }
    }

    public func print(_ insert: InsertStatement) -> String {
        var text: String
        switch (insert.replace, insert.ignore, dialect) {
        case (true, _, _): text = "REPLACE INTO "
        case (false, true, .mysql): text = "INSERT IGNORE INTO "
        case (false, true, .sqlite): text = "INSERT OR IGNORE INTO "
        case (false, false, _): text = "INSERT INTO "
        }
        text += table(insert.table)
        if !insert.columns.isEmpty { text += " (" + insert.columns.map(identifier).joined(separator: ", ") + ")" }
        switch insert.source {
        case .values(let rows):
            text += " VALUES " + rows.map { "(" + $0.map(print).joined(separator: ", ") + ")" }.joined(separator: ", ")
        case .select(let query):
            text += " " + print(query)
        }
        if !insert.onDuplicateKeyUpdate.isEmpty && dialect == .mysql {
            text += " ON DUPLICATE KEY UPDATE " + assignments(insert.onDuplicateKeyUpdate)
        }
        return text
    }

    public func assignments(_ list: [Assignment]) -> String {
        list.map { assignment in
            let column = dialect == .mysql ? printBare(.column(assignment.column)) : identifier(assignment.column.name)
            return column + " = " + print(assignment.value)
        }.joined(separator: ", ")
    }

    public func print(_ update: UpdateStatement) -> String {
        var text = "UPDATE " + (update.ignore ? (dialect == .mysql ? "IGNORE " : "OR IGNORE ") : "") + table(update.table)
        if let alias = update.alias { text += " AS " + identifier(alias) }
        text += " SET " + assignments(update.assignments)
        if let condition = update.whereClause { text += " WHERE " + print(condition) }
        if !update.orderBy.isEmpty { text += " ORDER BY " + orderItems(update.orderBy) }
        if let limit = update.limit { text += " " + print(limit) }
        return text
    }

    public func print(_ delete: DeleteStatement) -> String {
        var text = "DELETE FROM " + table(delete.table)
        if let alias = delete.alias { text += " AS " + identifier(alias) }
        if let condition = delete.whereClause { text += " WHERE " + print(condition) }
        if !delete.orderBy.isEmpty { text += " ORDER BY " + orderItems(delete.orderBy) }
        if let limit = delete.limit { text += " " + print(limit) }
        return text
    }

    public func print(_ create: CreateTableStatement) -> String {
        var parts = create.columns.map(print)
        if !create.primaryKey.isEmpty && !create.columns.contains(where: \.primaryKey) {
            parts.append("PRIMARY KEY (" + create.primaryKey.map(identifier).joined(separator: ", ") + ")")
        }
        for key in create.uniqueKeys where !(key.columns.count == 1 && create.columns.contains { $0.unique && $0.name == key.columns[0] }) {
            parts.append("UNIQUE KEY " + (key.name.map { identifier($0) + " " } ?? "") + indexColumns(key))
        }
        for index in create.indexes {
            parts.append("KEY " + (index.name.map { identifier($0) + " " } ?? "") + indexColumns(index))
        }
        var text = "CREATE TABLE " + (create.ifNotExists ? "IF NOT EXISTS " : "") + table(create.table) + " (" + parts.joined(separator: ", ") + ")"
        if !create.options.isEmpty { text += " " + create.options.joined(separator: " ") }
        return text
    }

    func print(_ column: ColumnDefinition) -> String {
        var text = identifier(column.name) + " " + column.type.description
        if let nullable = column.nullable { text += nullable ? " NULL" : " NOT NULL" }
        if let value = column.defaultValue { text += " DEFAULT " + print(value) }
        if column.onUpdateCurrentTimestamp { text += " ON UPDATE CURRENT_TIMESTAMP" }
        if column.autoIncrement { text += " AUTO_INCREMENT" }
        if column.primaryKey { text += " PRIMARY KEY" }
        if column.unique { text += " UNIQUE" }
        if let comment = column.comment { text += " COMMENT " + stringLiteral(comment) }
        return text
    }

    func indexColumns(_ index: IndexDefinition) -> String {
        "(" + zip(index.columns, index.descending).map { identifier($0) + ($1 ? " DESC" : "") }.joined(separator: ", ") + ")"
    }

    // MARK: Names and literals

    public func table(_ name: TableName) -> String {
        if dialect == .sqlite { return identifier(name.name) }
        return name.qualifier.map { identifier($0) + "." + identifier(name.name) } ?? identifier(name.name)
    }

    public func identifier(_ name: String) -> String {
        if dialect == .sqlite {
            // Names rarely hold a quote: skip Foundation's replace then (it is slow).
            return "\"" + (name.utf8.contains(0x22) ? name.replacingOccurrences(of: "\"", with: "\"\"") : name) + "\""
        }
        let bytes = Array(name.utf8)
        let safe = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !Keywords.reserved.contains(asciiUppercased(name))
        return safe ? name : "`" + (name.utf8.contains(0x60) ? name.replacingOccurrences(of: "`", with: "``") : name) + "`"
    }

    public func stringLiteral(_ value: String) -> String {
        var text = "'"
        for c in value.unicodeScalars {
            switch c {
            case "'": text += "''"
            case "\\" where dialect == .mysql: text += "\\\\"
            case "\0" where dialect == .mysql: text += "\\0"
            case "\n" where dialect == .mysql: text += "\\n"
            case "\r" where dialect == .mysql: text += "\\r"
            case "\t" where dialect == .mysql: text += "\\t"
            default: text.unicodeScalars.append(c)
            }
        }
        return text + "'"
    }

    func literal(_ value: Literal) -> String {
        switch value {
        case .null: return "NULL"
        case .boolean(let b): return dialect == .mysql ? (b ? "TRUE" : "FALSE") : (b ? "1" : "0")
        case .integer(let i): return String(i)
        case .decimal(let text): return text
        case .float(let d):
            let text = "\(d)"
            if d.isNaN || d.isInfinite { return "NULL" }
            return text.contains("e") ? text : text + "e0"
        case .string(let s): return stringLiteral(s)
        case .bytes(let bytes):
            let hex = bytes.map { b -> String in
                let h = String(b, radix: 16, uppercase: true)
                return h.count == 1 ? "0" + h : h
            }.joined()
            return "X'" + hex + "'"
        }
    }

    // MARK: Expressions

    /// Precedence of an expression's top operator (higher binds tighter; 14 for primaries).
    func precedence(_ expression: SQLExpression) -> Int {
        switch expression {
        case .binary(let op, _, _): op.precedence
        case .unary(.not, _): 4
        case .isNull, .isBoolean, .between, .inList, .inSubquery, .like, .regexp: 5
        case .unary: 12
        case .collate: 13
        default: 14
        }
    }

    public func print(_ expression: SQLExpression) -> String {
        print(expression, atLeast: 0)
    }

    /// Prints `expression`, in parentheses when it binds looser than `minimum`.
    func print(_ expression: SQLExpression, atLeast minimum: Int) -> String {
        let text = printBare(expression)
        return precedence(expression) < minimum ? "(" + text + ")" : text
    }

    func printBare(_ expression: SQLExpression) -> String {
        switch expression {
        case .literal(let value):
            return literal(value)
        case .column(let column):
            if let table = column.table { return self.table(table) + "." + identifier(column.name) }
            return identifier(column.name)
        case .parameter(let name, let index):
            if dialect == .sqlite, index >= 0 { return "?\(index + 1)" }
            return name.map { ":" + $0 } ?? "?"
        case .unary(let op, let operand):
            switch op {
            case .not: return "NOT " + print(operand, atLeast: 4)
            case .minus:
                let inner = print(operand, atLeast: 12)
                return inner.hasPrefix("-") ? "- " + inner : "-" + inner
            case .plus: return dialect == .mysql ? "+" + print(operand, atLeast: 12) : print(operand, atLeast: 12)
            case .bitNot:
                return dialect == .mysql ? "~" + print(operand, atLeast: 12) : "\(SQLiteHelpers.bitNot)(\(print(operand)))"
            case .binary:
                return dialect == .mysql ? "BINARY " + print(operand, atLeast: 12) : print(operand, atLeast: 12) + " COLLATE BINARY"
            }
        case .binary(let op, let left, let right):
            return printBinary(op, left, right)
        case .isNull(let operand, let negated):
            return print(operand, atLeast: 5) + (negated ? " IS NOT NULL" : " IS NULL")
        case .isBoolean(let operand, let value, let negated):
            let word = value.map { $0 ? "TRUE" : "FALSE" } ?? (dialect == .mysql ? "UNKNOWN" : "NULL")
            return print(operand, atLeast: 5) + (negated ? " IS NOT " : " IS ") + word
        case .between(let operand, let low, let high, let negated):
            return comparedLeft(operand, against: [low, high]) + (negated ? " NOT BETWEEN " : " BETWEEN ") + print(low, atLeast: 6)
                + " AND " + print(high, atLeast: 6)
        case .inList(let operand, let items, let negated):
            let rendered = items.map { print($0) }
            if dialect == .sqlite, case .tuple = operand {
                // SQLite compares a row value IN a list of rows only through VALUES.
                return print(operand, atLeast: 5) + (negated ? " NOT IN " : " IN ") + "(VALUES " + rendered.joined(separator: ", ") + ")"
            }
            if items.count == 1, case .parameter(let name?, _) = items[0], name.hasPrefix(":") {
                return print(operand, atLeast: 5) + (negated ? " NOT IN " : " IN ") + rendered[0]
            }
            return comparedLeft(operand, against: items) + (negated ? " NOT IN (" : " IN (") + rendered.joined(separator: ", ") + ")"
        case .inSubquery(let operand, let query, let negated):
            return print(operand, atLeast: 5) + (negated ? " NOT IN (" : " IN (") + print(query) + ")"
        case .exists(let query):
            return "EXISTS (" + print(query) + ")"
        case .subquery(let query):
            return "(" + print(query) + ")"
        case .like(let operand, let pattern, let escape, let negated):
            var text = print(operand, atLeast: 5) + (negated ? " NOT LIKE " : " LIKE ") + print(pattern, atLeast: 6)
            if let escape {
                text += " ESCAPE " + print(escape, atLeast: 6)
            } else if dialect == .sqlite {
                text += " ESCAPE '\\'"  // MySQL's default escape character
            }
            return text
        case .regexp(let operand, let pattern, let negated):
            return print(operand, atLeast: 5) + (negated ? " NOT REGEXP " : " REGEXP ") + print(pattern, atLeast: 6)
        case .caseWhen(let c):
            var text = "CASE"
            if let operand = c.operand { text += " " + print(operand) }
            for when in c.whens { text += " WHEN " + print(when.condition) + " THEN " + print(when.result) }
            if let otherwise = c.otherwise { text += " ELSE " + print(otherwise) }
            return text + " END"
        case .function(let call):
            return printFunction(call)
        case .cast(let operand, let type):
            return printCast(operand, type)
        case .convertUsing(let operand, let charset):
            return dialect == .mysql ? "CONVERT(\(print(operand)) USING \(charset))" : print(operand)
        case .collate(let operand, let collation):
            return print(operand, atLeast: 13) + " COLLATE " + (dialect == .mysql ? identifier(collation) : sqliteCollation(collation))
        case .tuple(let items):
            return "(" + items.map { print($0) }.joined(separator: ", ") + ")"
        case .variable(let name, let system):
            return (system ? "@@" : "@") + name
        case .defaultValue(let column):
            return column.map { "DEFAULT(\(identifier($0)))" } ?? "DEFAULT"
        case .interval(let value, let unit):
            return "INTERVAL " + print(value) + " " + unit
        }
    }

    func sqliteCollation(_ mysql: String) -> String {
        let lower = mysql.lowercased()
        return lower.hasSuffix("_bin") || lower == "binary" ? "BINARY" : SQLiteHelpers.collation
    }

    func printBinary(_ op: BinaryOperator, _ left: SQLExpression, _ right: SQLExpression) -> String {
        let p = op.precedence
        if dialect == .sqlite {
            let helper: String? = switch op {
            case .integerDivide: SQLiteHelpers.integerDivide
            case .modulo: SQLiteHelpers.modulo
            case .bitXor: SQLiteHelpers.bitXor
            case .bitAnd: SQLiteHelpers.bitAnd
            case .bitOr: SQLiteHelpers.bitOr
            case .shiftLeft: SQLiteHelpers.shiftLeft
            case .shiftRight: SQLiteHelpers.shiftRight
            case .xor: SQLiteHelpers.logicalXor
            default: nil
            }
            if let helper { return "\(helper)(\(print(left)), \(print(right)))" }
            switch op {
            case .divide:
                // MySQL divides exactly (7/2 = 3.5); SQLite would truncate two integers.
                return "(CAST(\(print(left)) AS REAL) / \(print(right, atLeast: 11)))"
            case .nullSafeEqual:
                return comparedLeft(left, against: [right]) + " IS " + print(right, atLeast: 6)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return comparedLeft(left, against: [right]) + " \(op.rawValue) " + print(right, atLeast: p + 1)
            default:
                break
            }
        }
        return print(left, atLeast: p) + " \(op.rawValue) " + print(right, atLeast: p + 1)
    }

    /// The left side of a comparison. MySQL compares text under the connection's case-insensitive
    /// collation when neither side is a column; SQLite would compare bytes, so the SQLite dialect
    /// names the collation in that case (a column's own collation wins otherwise, in both).
    func comparedLeft(_ left: SQLExpression, against others: [SQLExpression]) -> String {
        let text = print(left, atLeast: 5)
        guard dialect == .sqlite else { return text }
        if case .column = left { return text }
        if case .collate = left { return text }
        if others.contains(where: { if case .column = $0 { true } else if case .collate = $0 { true } else { false } }) { return text }
        return "(" + text + " COLLATE " + SQLiteHelpers.collation + ")"
    }

    func printFunction(_ call: FunctionCall) -> String {
        if call.star { return call.name + "(*)" }
        var arguments = call.arguments.map { print($0) }.joined(separator: ", ")
        if call.distinct { arguments = "DISTINCT " + arguments }
        if dialect == .mysql {
            if !call.orderBy.isEmpty { arguments += " ORDER BY " + orderItems(call.orderBy) }
            if let separator = call.separator { arguments += " SEPARATOR " + stringLiteral(separator) }
            return call.name + "(" + arguments + ")"
        }
        if call.name == "GROUP_CONCAT" {
            // SQLite's group_concat takes the separator as a second argument (default ',').
            let separator = stringLiteral(call.separator ?? ",")
            return "group_concat(" + arguments + (call.distinct ? "" : ", " + separator) + ")"
        }
        return call.name + "(" + arguments + ")"
    }

    func printCast(_ operand: SQLExpression, _ type: SQLType) -> String {
        if dialect == .mysql {
            var target: String
            switch type.name {
            case "SIGNED", "UNSIGNED": target = type.name
            case "DECIMAL": target = "DECIMAL(\(type.length ?? 10),\(type.scale ?? 0))"
            case "CHAR", "BINARY", "VARCHAR", "NCHAR":
                target = type.name + (type.length.map { "(\($0))" } ?? "")
                if let charset = type.charset { target += " CHARACTER SET \(charset)" }
            default: target = type.name + (type.length.map { "(\($0))" } ?? "")
            }
            return "CAST(\(print(operand)) AS \(target))"
        }
        switch type.name {
        case "SIGNED": return "\(SQLiteHelpers.castSigned)(\(print(operand)))"
        case "UNSIGNED": return "\(SQLiteHelpers.castUnsigned)(\(print(operand)))"
        case "DECIMAL": return "\(SQLiteHelpers.castDecimal)(\(print(operand)), \(type.length ?? 10), \(type.scale ?? 0))"
        case "DOUBLE", "FLOAT": return "CAST(\(print(operand)) AS REAL)"
        case "BINARY": return "CAST(\(print(operand)) AS BLOB)"
        default: return "\(SQLiteHelpers.castChar)(\(print(operand))" + (type.length.map { ", \($0)" } ?? "") + ")"
        }
    }
}
