extension SQLParser {
    mutating func parseInsert() throws(SQLSyntaxError) -> InsertStatement {
        let replace = advance().upper == "REPLACE"
        while accept("LOW_PRIORITY") || accept("DELAYED") || accept("HIGH_PRIORITY") {}
        let ignore = accept("IGNORE")
        _ = accept("INTO")
        let table = try tableName()
        if isKeyword("PARTITION") { throw unsupported("PARTITION selection") }
        var columns: [String] = []
        if isSymbol("(") && !isKeyword("SELECT", 1) && !(isSymbol("(", 1)) {
            advance()
            if !isSymbol(")") {
                repeat {
                    var column = try identifier("a column name")
                    // t.c names the column of the target table.
                    if acceptSymbol(".") { column = try qualifiedPart() }
                    columns.append(column)
                } while acceptSymbol(",")
            }
            try expectSymbol(")")
        }
        let source: InsertStatement.Source
        if accept("VALUES") || accept("VALUE") {
            var rows: [[SQLExpression]] = []
            repeat {
                _ = accept("ROW")
                try expectSymbol("(")
                var row: [SQLExpression] = []
                if !isSymbol(")") {
                    repeat { row.append(try parseExpression()) } while acceptSymbol(",")
                }
                try expectSymbol(")")
                rows.append(row)
            } while acceptSymbol(",")
            source = .values(rows)
        } else if isKeyword("SELECT") || isSymbol("(") {
            source = .select(try parseQuery())
        } else if accept("SET") {
            guard columns.isEmpty else { throw error("INSERT ... SET takes no column list") }
            var values: [SQLExpression] = []
            for assignment in try parseAssignments() {
                columns.append(assignment.column.name)
                values.append(assignment.value)
            }
            source = .values([values])
        } else {
            throw error("expected VALUES, SELECT or SET")
        }
        if isKeyword("AS") { throw unsupported("row aliases in INSERT (AS new)") }
        var updates: [Assignment] = []
        if accept("ON") {
            try expect("DUPLICATE")
            try expect("KEY")
            try expect("UPDATE")
            updates = try parseAssignments()
            if replace { throw error("REPLACE takes no ON DUPLICATE KEY UPDATE") }
        }
        return InsertStatement(replace: replace, ignore: ignore, table: table, columns: columns, source: source,
                               onDuplicateKeyUpdate: updates)
    }

    mutating func parseAssignments() throws(SQLSyntaxError) -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            guard case .column(let column) = try parseColumnReference() else { throw error("expected a column") }
            try expectSymbol("=")
            let value = try parseExpression()
            assignments.append(Assignment(column: column, value: value))
        } while acceptSymbol(",")
        return assignments
    }

    mutating func parseUpdate() throws(SQLSyntaxError) -> UpdateStatement {
        advance()
        _ = accept("LOW_PRIORITY")
        let ignore = accept("IGNORE")
        if isSymbol("(") { throw unsupported("UPDATE of a derived table") }
        let table = try tableName()
        var alias: String?
        if !isKeyword("SET") { alias = try optionalAlias() }
        if isSymbol(",") || isKeyword("JOIN") || isKeyword("INNER") || isKeyword("LEFT") || isKeyword("STRAIGHT_JOIN") {
            throw unsupported("multi-table UPDATE")
        }
        try expect("SET")
        let assignments = try parseAssignments()
        var statement = UpdateStatement(ignore: ignore, table: table, alias: alias, assignments: assignments)
        if accept("WHERE") { statement.whereClause = try parseExpression() }
        statement.orderBy = try parseOrderByIfPresent()
        if accept("LIMIT") {
            statement.limit = Limit(count: try parseLimitValue())
            if isSymbol(",") || isKeyword("OFFSET") { throw error("UPDATE takes LIMIT without an offset") }
        }
        return statement
    }

    mutating func parseDelete() throws(SQLSyntaxError) -> DeleteStatement {
        advance()
        while accept("LOW_PRIORITY") || accept("QUICK") {}
        if accept("IGNORE") { throw unsupported("DELETE IGNORE") }
        if !isKeyword("FROM") { throw unsupported("multi-table DELETE") }
        advance()
        let table = try tableName()
        var alias: String?
        if !isKeyword("WHERE") && !isKeyword("ORDER") && !isKeyword("LIMIT") && peek.kind != .end && !isSymbol(";") {
            if isSymbol(",") || isKeyword("USING") { throw unsupported("multi-table DELETE") }
            alias = try optionalAlias()
        }
        if isSymbol(",") || isKeyword("USING") || isKeyword("JOIN") { throw unsupported("multi-table DELETE") }
        var statement = DeleteStatement(table: table, alias: alias)
        if accept("WHERE") { statement.whereClause = try parseExpression() }
        statement.orderBy = try parseOrderByIfPresent()
        if accept("LIMIT") {
            statement.limit = Limit(count: try parseLimitValue())
            if isSymbol(",") || isKeyword("OFFSET") { throw error("DELETE takes LIMIT without an offset") }
        }
        return statement
    }
}
