/// Parses statements of the MySQL dialect into `SQLStatement`s.
///
/// Recursive descent; expressions follow MySQL's operator precedence (`OR` < `XOR` < `AND` < `NOT`
/// < comparison < `|` < `&` < shifts < `+ -` < `* / DIV % MOD` < `^` < unary). Constructs that are
/// valid MySQL but not supported here are refused by name (`SQLSyntaxError.unsupported`).
public struct SQLParser {
    var tokens: [Token]
    var index = 0
    let source: String
    var parameterCount = 0

    init(_ source: String) throws(SQLSyntaxError) {
        self.source = source
        tokens = try Lexer.tokens(source)
    }

    /// Parses one statement (a trailing `;` is allowed).
    public static func parse(_ sql: String) throws(SQLSyntaxError) -> SQLStatement {
        var parser = try SQLParser(sql)
        let statement = try parser.parseStatement()
        _ = parser.acceptSymbol(";")
        try parser.expectEnd()
        return statement
    }

    /// Parses `;`-separated statements.
    public static func parseScript(_ sql: String) throws(SQLSyntaxError) -> [SQLStatement] {
        var parser = try SQLParser(sql)
        var statements: [SQLStatement] = []
        while true {
            while parser.acceptSymbol(";") {}
            if parser.peek.kind == .end { return statements }
            statements.append(try parser.parseStatement())
            if parser.peek.kind != .end && !parser.acceptSymbol(";") { throw parser.error("expected ';'") }
        }
    }

    /// Parses one expression.
    public static func parseExpression(_ sql: String) throws(SQLSyntaxError) -> SQLExpression {
        var parser = try SQLParser(sql)
        let expression = try parser.parseExpression()
        try parser.expectEnd()
        return expression
    }

    // MARK: Token helpers

    var peek: Token { tokens[index] }
    func peek(_ ahead: Int) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func isKeyword(_ word: String, _ ahead: Int = 0) -> Bool {
        let token = peek(ahead)
        return token.kind == .word && token.upper == word
    }

    func isSymbol(_ symbol: String, _ ahead: Int = 0) -> Bool {
        let token = peek(ahead)
        return token.kind == .symbol && token.text == symbol
    }

    mutating func accept(_ word: String) -> Bool {
        if isKeyword(word) { advance(); return true }
        return false
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        if isSymbol(symbol) { advance(); return true }
        return false
    }

    mutating func expect(_ word: String) throws(SQLSyntaxError) {
        if !accept(word) { throw error("expected \(word)") }
    }

    mutating func expectSymbol(_ symbol: String) throws(SQLSyntaxError) {
        if !acceptSymbol(symbol) { throw error("expected '\(symbol)'") }
    }

    func expectEnd() throws(SQLSyntaxError) {
        if peek.kind != .end { throw error("") }
    }

    func error(_ message: String) -> SQLSyntaxError {
        let token = peek
        let near = token.kind == .end ? "" : nearText(token)
        return SQLSyntaxError(offset: token.kind == .end ? source.utf8.count : token.offset, near: near, message: message)
    }

    func unsupported(_ construct: String) -> SQLSyntaxError {
        SQLSyntaxError(offset: peek.offset, near: nearText(peek), message: construct, unsupported: true)
    }

    func nearText(_ token: Token) -> String {
        let bytes = Array(source.utf8)
        let start = min(token.offset, bytes.count)
        let end = min(start + 40, bytes.count)
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        if let newline = text.firstIndex(of: "\n") { text = String(text[..<newline]) }
        return text
    }

    /// An identifier: a non-reserved word or a quoted identifier.
    mutating func identifier(_ what: String = "an identifier") throws(SQLSyntaxError) -> String {
        let token = peek
        switch token.kind {
        case .quotedIdentifier:
            advance()
            return token.text
        case .word where !Keywords.reserved.contains(token.upper):
            advance()
            return token.text
        default:
            throw error("expected \(what)")
        }
    }

    var atIdentifier: Bool {
        peek.kind == .quotedIdentifier || (peek.kind == .word && !Keywords.reserved.contains(peek.upper))
    }

    /// `name` or `qualifier.name`.
    mutating func tableName() throws(SQLSyntaxError) -> TableName {
        let first = try identifier("a table name")
        if isSymbol("."), peek(1).kind == .word || peek(1).kind == .quotedIdentifier {
            advance()
            let second = try qualifiedPart()
            return TableName(qualifier: first, name: second)
        }
        return TableName(name: first)
    }

    /// After a dot any word is a name, reserved or not (`t.order`).
    mutating func qualifiedPart() throws(SQLSyntaxError) -> String {
        let token = peek
        guard token.kind == .word || token.kind == .quotedIdentifier else { throw error("expected a name after '.'") }
        advance()
        return token.text
    }

    /// `[AS] alias`, where a bare alias must not be a reserved word.
    mutating func optionalAlias() throws(SQLSyntaxError) -> String? {
        if accept("AS") {
            if peek.kind == .string { return advance().text }
            return try identifier("an alias")
        }
        if atIdentifier { return try identifier() }
        if peek.kind == .string { return advance().text }
        return nil
    }

    // MARK: Statements

    mutating func parseStatement() throws(SQLSyntaxError) -> SQLStatement {
        let token = peek
        guard token.kind == .word || (token.kind == .symbol && token.text == "(") else { throw error("expected a statement") }
        if token.kind == .symbol { return .select(try parseQuery()) }
        switch token.upper {
        case "SELECT": return .select(try parseQuery())
        case "INSERT", "REPLACE": return .insert(try parseInsert())
        case "UPDATE": return .update(try parseUpdate())
        case "DELETE": return .delete(try parseDelete())
        case "CREATE": return try parseCreate()
        case "DROP": return try parseDrop()
        case "TRUNCATE":
            advance()
            _ = accept("TABLE")
            return .truncate(try tableName())
        case "BEGIN":
            advance()
            _ = accept("WORK")
            return .begin
        case "START":
            advance()
            try expect("TRANSACTION")
            while peek.kind == .word || isSymbol(",") {
                if acceptSymbol(",") { continue }
                if accept("READ") {
                    if !accept("WRITE") && !accept("ONLY") { throw error("expected WRITE or ONLY") }
                } else if accept("WITH") {
                    try expect("CONSISTENT")
                    try expect("SNAPSHOT")
                } else {
                    break
                }
            }
            return .begin
        case "COMMIT":
            advance()
            _ = accept("WORK")
            return .commit
        case "ROLLBACK":
            advance()
            _ = accept("WORK")
            if accept("TO") {
                _ = accept("SAVEPOINT")
                return .rollbackToSavepoint(try identifier("a savepoint name"))
            }
            return .rollback
        case "SAVEPOINT":
            advance()
            return .savepoint(try identifier("a savepoint name"))
        case "RELEASE":
            advance()
            try expect("SAVEPOINT")
            return .releaseSavepoint(try identifier("a savepoint name"))
        case "USE": return .use(try parseUse())
        case "SET": return .set(try parseSet())
        case "SHOW": return .show(try parseShow())
        case "WITH": throw unsupported("WITH (common table expressions)")
        case "ALTER": throw unsupported("ALTER TABLE")
        case "LOCK", "UNLOCK": throw unsupported("\(token.upper) TABLES")
        case "CALL": throw unsupported("stored procedures (CALL)")
        case "PREPARE", "EXECUTE", "DEALLOCATE": throw unsupported("server-side prepared statements (\(token.upper))")
        case "EXPLAIN", "DESCRIBE", "DESC", "VEXPLAIN", "VTEXPLAIN", "ANALYZE", "OPTIMIZE", "FLUSH", "KILL", "GRANT", "REVOKE":
            throw unsupported(token.upper)
        default: throw error("")
        }
    }

    mutating func parseUse() throws(SQLSyntaxError) -> UseStatement {
        advance()
        // The target may be written `ks`, `ks@replica`, `` `ks:-80@primary` `` or `ks:-80`; read the raw text.
        let start = peek.offset
        while peek.kind != .end && !isSymbol(";") { advance() }
        let end = peek.kind == .end ? source.utf8.count : peek.offset
        let bytes = Array(source.utf8)
        var target = String(decoding: bytes[start..<end], as: UTF8.self).filter { $0 != "`" && !$0.isWhitespace }
        guard !target.isEmpty else { throw error("expected a keyspace") }
        var tabletType: String?
        if let at = target.firstIndex(of: "@") {
            tabletType = String(target[target.index(after: at)...])
            target = String(target[..<at])
        }
        var shard: String?
        if let colon = target.firstIndex(of: ":") {
            shard = String(target[target.index(after: colon)...])
            target = String(target[..<colon])
        }
        return UseStatement(keyspace: target, shard: shard, tabletType: tabletType)
    }

    mutating func parseSet() throws(SQLSyntaxError) -> [SetAssignment] {
        advance()
        var assignments: [SetAssignment] = []
        repeat {
            var scope = SetAssignment.Scope.session
            var name: String
            if accept("GLOBAL") {
                scope = .global
                name = try identifier("a variable name").lowercased()
            } else if accept("SESSION") || accept("LOCAL") {
                name = try identifier("a variable name").lowercased()
            } else if peek.kind == .systemVariable {
                let text = advance().text.lowercased()
                if text.hasPrefix("global.") { scope = .global; name = String(text.dropFirst(7)) }
                else if text.hasPrefix("session.") { name = String(text.dropFirst(8)) }
                else if text.hasPrefix("local.") { name = String(text.dropFirst(6)) }
                else { name = text }
            } else if peek.kind == .userVariable {
                scope = .user
                name = advance().text
            } else if accept("NAMES") {
                let charset = advance().text
                if accept("COLLATE") { advance() }
                assignments.append(SetAssignment(scope: .session, name: "names", value: .string(charset)))
                continue
            } else if accept("TRANSACTION") {
                var words: [String] = []
                while peek.kind == .word { words.append(advance().upper) }
                assignments.append(SetAssignment(scope: .session, name: "transaction", value: .string(words.joined(separator: " "))))
                continue
            } else {
                name = try identifier("a variable name").lowercased()
            }
            if !acceptSymbol("=") && !acceptSymbol(":=") { throw error("expected '='") }
            let value: SQLExpression
            if peek.kind == .word && !Keywords.reserved.contains(peek.upper) && !isSymbol("(", 1) && !isSymbol(".", 1) {
                // SET x = ON / twopc: a bare word is a value.
                value = .string(advance().text)
            } else {
                value = try parseExpression()
            }
            assignments.append(SetAssignment(scope: scope, name: name, value: value))
        } while acceptSymbol(",")
        return assignments
    }

    mutating func parseShow() throws(SQLSyntaxError) -> ShowStatement {
        advance()
        if accept("VITESS_SHARDS") { return .vitessShards }
        if accept("VITESS_TABLETS") { return .vitessTablets }
        if accept("WARNINGS") { return .warnings }
        if accept("DATABASES") || accept("KEYSPACES") { return .databases }
        _ = accept("FULL")
        if accept("TABLES") {
            if accept("FROM") || accept("IN") { return .tables(from: try identifier()) }
            return .tables(from: nil)
        }
        if accept("COLUMNS") || accept("FIELDS") {
            if !accept("FROM") { try expect("IN") }
            return .columns(try tableName())
        }
        if accept("CREATE") {
            try expect("TABLE")
            return .createTable(try tableName())
        }
        if accept("UNRESOLVED") {
            try expect("TRANSACTIONS")
            if accept("FOR") || accept("IN") { return .unresolvedTransactions(keyspace: try identifier("a keyspace")) }
            return .unresolvedTransactions(keyspace: nil)
        }
        if accept("TRANSACTION") {
            try expect("STATUS")
            if !accept("FOR") { try expect("IN") }
            guard peek.kind == .string || peek.kind == .word || peek.kind == .quotedIdentifier else { throw error("expected a transaction id") }
            return .transactionStatus(dtid: advance().text)
        }
        throw unsupported("SHOW \(peek.text)")
    }

    // MARK: Queries

    /// A query with its set operations, ORDER BY, LIMIT and locking clause.
    mutating func parseQuery() throws(SQLSyntaxError) -> SelectQuery {
        var query = try parseUnionLevel()
        let orderBy = try parseOrderByIfPresent()
        let limit = try parseLimitIfPresent()
        let lock = try parseLockIfPresent()
        // `(SELECT ... ORDER BY a LIMIT n) ORDER BY b`: the inner query becomes a derived table.
        if case .select(let inner) = query, (!orderBy.isEmpty && !inner.orderBy.isEmpty) || (limit != nil && inner.limit != nil) {
            if inner.limit == nil && limit == nil {
                // Without a LIMIT the inner ORDER BY has no effect, as in MySQL.
                var replaced = inner
                replaced.orderBy = orderBy
                return .select(replaced)
            }
            query = .select(SelectStatement(columns: [.star(nil)], from: [.derived(query, alias: "dt")]))
        }
        if !orderBy.isEmpty || limit != nil || lock != nil {
            switch query {
            case .select(var select):
                if (!orderBy.isEmpty && !select.orderBy.isEmpty) || (limit != nil && select.limit != nil) {
                    throw error("a query can have one ORDER BY and one LIMIT")
                }
                if !orderBy.isEmpty { select.orderBy = orderBy }
                if let limit { select.limit = limit }
                if let lock { select.lock = lock }
                query = .select(select)
            case .compound(var compound):
                if lock != nil { throw unsupported("a locking clause on a UNION") }
                if (!orderBy.isEmpty && !compound.orderBy.isEmpty) || (limit != nil && compound.limit != nil) {
                    throw error("a query can have one ORDER BY and one LIMIT")
                }
                if !orderBy.isEmpty { compound.orderBy = orderBy }
                if let limit { compound.limit = limit }
                query = .compound(compound)
            }
        }
        return query
    }

    mutating func parseUnionLevel() throws(SQLSyntaxError) -> SelectQuery {
        var left = try parseIntersectLevel()
        while isKeyword("UNION") || isKeyword("EXCEPT") || (isKeyword("MINUS")) {
            let op: CompoundSelect.Operator = advance().upper == "UNION" ? .union : .except
            let all = try parseSetQuantifier()
            let right = try parseIntersectLevel()
            left = .compound(CompoundSelect(op: op, all: all, left: left, right: right))
        }
        return left
    }

    mutating func parseIntersectLevel() throws(SQLSyntaxError) -> SelectQuery {
        var left = try parseQueryPrimary()
        while accept("INTERSECT") {
            let all = try parseSetQuantifier()
            let right = try parseQueryPrimary()
            left = .compound(CompoundSelect(op: .intersect, all: all, left: left, right: right))
        }
        return left
    }

    mutating func parseSetQuantifier() throws(SQLSyntaxError) -> Bool {
        if accept("ALL") { return true }
        _ = accept("DISTINCT")
        return false
    }

    /// `SELECT ...` without ORDER BY/LIMIT, or a parenthesized query (which keeps its own).
    mutating func parseQueryPrimary() throws(SQLSyntaxError) -> SelectQuery {
        if acceptSymbol("(") {
            let query = try parseQuery()
            try expectSymbol(")")
            return query
        }
        if !isKeyword("SELECT") { throw error("expected SELECT") }
        return .select(try parseSelectCore())
    }

    mutating func parseSelectCore() throws(SQLSyntaxError) -> SelectStatement {
        try expect("SELECT")
        var select = SelectStatement(columns: [])
        while true {
            if accept("ALL") { continue }
            if accept("DISTINCT") || accept("DISTINCTROW") { select.distinct = true; continue }
            if accept("STRAIGHT_JOIN") || accept("SQL_NO_CACHE") || accept("SQL_CACHE") || accept("HIGH_PRIORITY")
                || accept("SQL_SMALL_RESULT") || accept("SQL_BIG_RESULT") || accept("SQL_BUFFER_RESULT") { continue }
            if isKeyword("SQL_CALC_FOUND_ROWS") { throw unsupported("SQL_CALC_FOUND_ROWS") }
            break
        }
        repeat {
            select.columns.append(try parseSelectItem())
        } while acceptSymbol(",")
        if isKeyword("INTO") { throw unsupported("SELECT ... INTO") }
        if accept("FROM") {
            // DUAL is no table: FROM DUAL alone reads nothing, and DUAL among other tables adds nothing.
            select.from = try parseTableReferences().filter {
                if case .table(let name, nil) = $0, name.qualifier == nil, name.name.uppercased() == "DUAL" { return false }
                return true
            }
        }
        if isKeyword("INTO") { throw unsupported("SELECT ... INTO") }
        if accept("WHERE") { select.whereClause = try parseExpression() }
        if accept("GROUP") {
            try expect("BY")
            repeat {
                select.groupBy.append(try parseExpression())
                if accept("ASC") || accept("DESC") { throw unsupported("ASC/DESC in GROUP BY") }
            } while acceptSymbol(",")
            if isKeyword("WITH") && isKeyword("ROLLUP", 1) { throw unsupported("WITH ROLLUP") }
        }
        if accept("HAVING") { select.having = try parseExpression() }
        if isKeyword("WINDOW") { throw unsupported("window functions (WINDOW)") }
        if isKeyword("INTO") { throw unsupported("SELECT ... INTO") }
        return select
    }

    mutating func parseSelectItem() throws(SQLSyntaxError) -> SelectItem {
        if acceptSymbol("*") { return .star(nil) }
        // t.* and ks.t.*
        if atIdentifier && isSymbol(".", 1) && isSymbol("*", 2) {
            let table = try identifier()
            advance(); advance()
            return .star(TableName(name: table))
        }
        if atIdentifier && isSymbol(".", 1) && (peek(2).kind == .word || peek(2).kind == .quotedIdentifier) && isSymbol(".", 3) && isSymbol("*", 4) {
            let qualifier = try identifier()
            advance()
            let table = try qualifiedPart()
            advance(); advance()
            return .star(TableName(qualifier: qualifier, name: table))
        }
        let expression = try parseExpression()
        return .expression(expression, alias: try optionalAlias())
    }

    mutating func parseTableReferences() throws(SQLSyntaxError) -> [TableReference] {
        var references: [TableReference] = []
        repeat {
            references.append(try parseTableReference())
        } while acceptSymbol(",")
        return references
    }

    mutating func parseTableReference() throws(SQLSyntaxError) -> TableReference {
        var left = try parseTableFactor()
        while true {
            var kind: Join.Kind
            if accept("JOIN") || (isKeyword("INNER") && isKeyword("JOIN", 1) && { advance(); advance(); return true }()) {
                kind = .inner
            } else if isKeyword("CROSS") && isKeyword("JOIN", 1) {
                advance(); advance()
                kind = .cross
            } else if accept("STRAIGHT_JOIN") {
                kind = .straight
            } else if isKeyword("LEFT") || isKeyword("RIGHT") {
                let isLeft = advance().upper == "LEFT"
                _ = accept("OUTER")
                try expect("JOIN")
                kind = isLeft ? .left : .right
            } else if accept("NATURAL") {
                if accept("LEFT") { _ = accept("OUTER"); kind = .naturalLeft }
                else if accept("RIGHT") { _ = accept("OUTER"); kind = .naturalRight }
                else { _ = accept("INNER"); kind = .natural }
                try expect("JOIN")
            } else {
                return left
            }
            let right = try parseTableFactor()
            var condition: Join.Condition?
            if accept("ON") {
                condition = .on(try parseExpression())
            } else if accept("USING") {
                try expectSymbol("(")
                var columns: [String] = []
                repeat { columns.append(try identifier("a column name")) } while acceptSymbol(",")
                try expectSymbol(")")
                condition = .using(columns)
            } else if kind == .left || kind == .right {
                throw error("expected ON or USING")
            }
            left = .join(Join(kind: kind, left: left, right: right, condition: condition))
        }
    }

    mutating func parseTableFactor() throws(SQLSyntaxError) -> TableReference {
        if isSymbol("(") {
            if isKeyword("SELECT", 1) || (isSymbol("(", 1) && isKeyword("SELECT", 2)) {
                advance()
                let query = try parseQuery()
                try expectSymbol(")")
                guard let alias = try optionalAlias() else { throw error("a derived table needs an alias") }
                return .derived(query, alias: alias)
            }
            advance()
            let references = try parseTableReferences()
            try expectSymbol(")")
            var combined = references[0]
            for next in references.dropFirst() {
                combined = .join(Join(kind: .cross, left: combined, right: next, condition: nil))
            }
            return combined
        }
        if isKeyword("LATERAL") { throw unsupported("LATERAL derived tables") }
        if isKeyword("DUAL") { advance(); return .table(TableName(name: "dual"), alias: nil) }
        let name = try tableName()
        if isKeyword("PARTITION") { throw unsupported("PARTITION selection") }
        let alias = try optionalAlias()
        // Index hints are accepted and ignored: they do not change results.
        while isKeyword("USE") || isKeyword("FORCE") || isKeyword("IGNORE") {
            if isKeyword("VINDEX", 1) { throw unsupported("Vitess vindex hints (\(peek.upper) VINDEX)") }
            advance()
            if !accept("INDEX") { try expect("KEY") }
            if accept("FOR") {
                if accept("JOIN") {} else if accept("ORDER") || accept("GROUP") { try expect("BY") } else { throw error("expected JOIN, ORDER BY or GROUP BY") }
            }
            try expectSymbol("(")
            while !isSymbol(")") && peek.kind != .end { advance() }
            try expectSymbol(")")
        }
        return .table(name, alias: alias)
    }

    mutating func parseOrderByIfPresent() throws(SQLSyntaxError) -> [OrderItem] {
        guard isKeyword("ORDER") && isKeyword("BY", 1) else { return [] }
        advance(); advance()
        return try parseOrderItems()
    }

    mutating func parseOrderItems() throws(SQLSyntaxError) -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            let expression = try parseExpression()
            var descending = false
            if accept("DESC") { descending = true } else { _ = accept("ASC") }
            items.append(OrderItem(expression: expression, descending: descending))
        } while acceptSymbol(",")
        return items
    }

    mutating func parseLimitIfPresent() throws(SQLSyntaxError) -> Limit? {
        guard accept("LIMIT") else { return nil }
        let first = try parseLimitValue()
        if acceptSymbol(",") { return Limit(count: try parseLimitValue(), offset: first) }
        if accept("OFFSET") { return Limit(count: first, offset: try parseLimitValue()) }
        return Limit(count: first)
    }

    mutating func parseLimitValue() throws(SQLSyntaxError) -> SQLExpression {
        let token = peek
        switch token.kind {
        case .integer:
            advance()
            guard let value = Int64(token.text) else { throw error("LIMIT value out of range") }
            return .integer(value)
        case .parameter:
            return try parsePrimary()
        default:
            throw error("expected a number")
        }
    }

    mutating func parseLockIfPresent() throws(SQLSyntaxError) -> LockMode? {
        if isKeyword("FOR") && isKeyword("UPDATE", 1) {
            advance(); advance()
            try skipLockOptions()
            return .forUpdate
        }
        if isKeyword("FOR") && isKeyword("SHARE", 1) {
            advance(); advance()
            try skipLockOptions()
            return .shared
        }
        if accept("LOCK") {
            try expect("IN")
            try expect("SHARE")
            try expect("MODE")
            return .shared
        }
        return nil
    }

    mutating func skipLockOptions() throws(SQLSyntaxError) {
        if accept("NOWAIT") { throw unsupported("NOWAIT") }
        if isKeyword("SKIP") { throw unsupported("SKIP LOCKED") }
    }
}
