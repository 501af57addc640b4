extension SQLParser {
    mutating func parseCreate() throws(SQLSyntaxError) -> SQLStatement {
        advance()
        if accept("TEMPORARY") { throw unsupported("CREATE TEMPORARY TABLE") }
        if accept("TABLE") { return .createTable(try parseCreateTable()) }
        let unique = accept("UNIQUE")
        if accept("INDEX") || accept("KEY") {
            let name = try identifier("an index name")
            if accept("USING") { advance() }
            try expect("ON")
            let table = try tableName()
            let (columns, descending) = try parseIndexColumns()
            return .createIndex(CreateIndexStatement(unique: unique, index: IndexDefinition(name: name, columns: columns, descending: descending), table: table))
        }
        if isKeyword("VIEW") || isKeyword("OR") { throw unsupported("views") }
        if isKeyword("DATABASE") || isKeyword("SCHEMA") { throw unsupported("CREATE DATABASE") }
        if isKeyword("FULLTEXT") || isKeyword("SPATIAL") { throw unsupported("\(peek.upper) indexes") }
        if isKeyword("TRIGGER") || isKeyword("PROCEDURE") || isKeyword("FUNCTION") { throw unsupported("CREATE \(peek.upper)") }
        throw error("expected TABLE or INDEX")
    }

    mutating func parseCreateTable() throws(SQLSyntaxError) -> CreateTableStatement {
        var ifNotExists = false
        if accept("IF") {
            try expect("NOT")
            try expect("EXISTS")
            ifNotExists = true
        }
        let table = try tableName()
        if accept("LIKE") { throw unsupported("CREATE TABLE ... LIKE") }
        if isKeyword("AS") || isKeyword("SELECT") { throw unsupported("CREATE TABLE ... SELECT") }
        var statement = CreateTableStatement(ifNotExists: ifNotExists, table: table, columns: [])
        try expectSymbol("(")
        repeat {
            try parseTableElement(into: &statement)
        } while acceptSymbol(",")
        try expectSymbol(")")
        statement.options = try parseTableOptions()
        if isKeyword("PARTITION") { throw unsupported("partitioned tables") }
        // Keys written on columns join the table-level lists.
        let columnKeys = statement.columns.filter(\.primaryKey).map(\.name)
        if !columnKeys.isEmpty {
            if !statement.primaryKey.isEmpty || columnKeys.count > 1 { throw error("a table can have only one primary key") }
            statement.primaryKey = columnKeys
        }
        for column in statement.columns where column.unique {
            statement.uniqueKeys.append(IndexDefinition(name: column.name, columns: [column.name]))
        }
        if statement.columns.isEmpty { throw error("a table needs at least one column") }
        return statement
    }

    mutating func parseTableElement(into statement: inout CreateTableStatement) throws(SQLSyntaxError) {
        var constraintName: String?
        if accept("CONSTRAINT") {
            if atIdentifier && !isKeyword("PRIMARY") && !isKeyword("UNIQUE") && !isKeyword("FOREIGN") && !isKeyword("CHECK") {
                constraintName = try identifier()
            }
        }
        if accept("PRIMARY") {
            try expect("KEY")
            if accept("USING") { advance() }
            if !statement.primaryKey.isEmpty { throw error("a table can have only one primary key") }
            statement.primaryKey = try parseIndexColumns().columns
            return
        }
        if accept("UNIQUE") {
            _ = accept("KEY") || accept("INDEX")
            var name = constraintName
            if atIdentifier && !isSymbol("(") { name = try identifier() }
            if accept("USING") { advance() }
            statement.uniqueKeys.append(IndexDefinition(name: name, columns: try parseIndexColumns().columns))
            return
        }
        if isKeyword("FOREIGN") { throw unsupported("FOREIGN KEY constraints") }
        if isKeyword("CHECK") { throw unsupported("CHECK constraints") }
        if isKeyword("FULLTEXT") || isKeyword("SPATIAL") { throw unsupported("\(peek.upper) indexes") }
        if accept("KEY") || accept("INDEX") {
            var name: String?
            if atIdentifier && !isSymbol("(") { name = try identifier() }
            if accept("USING") { advance() }
            let (columns, descending) = try parseIndexColumns()
            statement.indexes.append(IndexDefinition(name: name, columns: columns, descending: descending))
            return
        }
        statement.columns.append(try parseColumnDefinition())
    }

    /// `(a, b(10) DESC, ...)`.
    mutating func parseIndexColumns() throws(SQLSyntaxError) -> (columns: [String], descending: [Bool]) {
        try expectSymbol("(")
        var columns: [String] = []
        var descending: [Bool] = []
        repeat {
            columns.append(try identifier("a column name"))
            if acceptSymbol("(") {
                _ = try integerValue()
                try expectSymbol(")")
            }
            if accept("DESC") { descending.append(true) } else { _ = accept("ASC"); descending.append(false) }
        } while acceptSymbol(",")
        try expectSymbol(")")
        return (columns, descending)
    }

    mutating func parseColumnDefinition() throws(SQLSyntaxError) -> ColumnDefinition {
        let name = try identifier("a column name")
        var column = ColumnDefinition(name: name, type: try parseColumnType())
        while true {
            if accept("NOT") {
                try expect("NULL")
                column.nullable = false
            } else if accept("NULL") {
                column.nullable = true
            } else if accept("DEFAULT") {
                column.defaultValue = try parseDefaultValue()
            } else if accept("AUTO_INCREMENT") {
                column.autoIncrement = true
            } else if accept("PRIMARY") {
                try expect("KEY")
                column.primaryKey = true
            } else if isKeyword("KEY") {
                advance()
                column.primaryKey = true
            } else if accept("UNIQUE") {
                _ = accept("KEY")
                column.unique = true
            } else if accept("COMMENT") {
                guard peek.kind == .string else { throw error("expected a comment string") }
                column.comment = advance().text
            } else if accept("ON") {
                try expect("UPDATE")
                guard isKeyword("CURRENT_TIMESTAMP") || isKeyword("NOW") || isKeyword("LOCALTIMESTAMP") else { throw error("expected CURRENT_TIMESTAMP") }
                advance()
                if acceptSymbol("(") { if peek.kind == .integer { advance() }; try expectSymbol(")") }
                column.onUpdateCurrentTimestamp = true
            } else if accept("COLLATE") {
                column.type.collation = peek.kind == .string ? advance().text : try identifier("a collation")
            } else if accept("CHARACTER") {
                try expect("SET")
                column.type.charset = try identifier("a character set")
            } else if accept("CHARSET") {
                column.type.charset = try identifier("a character set")
            } else if isKeyword("GENERATED") || isKeyword("AS") {
                throw unsupported("generated columns")
            } else if isKeyword("REFERENCES") {
                throw unsupported("FOREIGN KEY constraints")
            } else if isKeyword("CHECK") {
                throw unsupported("CHECK constraints")
            } else if accept("VISIBLE") || accept("INVISIBLE") || accept("STORAGE") || accept("COLUMN_FORMAT") {
                if peek.kind == .word && !Keywords.reserved.contains(peek.upper) { advance() }
            } else {
                return column
            }
        }
    }

    mutating func parseDefaultValue() throws(SQLSyntaxError) -> SQLExpression {
        if acceptSymbol("(") {
            let value = try parseExpression()
            try expectSymbol(")")
            return value
        }
        if acceptSymbol("-") {
            return .unary(.minus, try parsePrimary())
        }
        if acceptSymbol("+") { return try parsePrimary() }
        if isKeyword("CURRENT_TIMESTAMP") || isKeyword("NOW") || isKeyword("LOCALTIMESTAMP") {
            advance()
            if acceptSymbol("(") { if peek.kind == .integer { advance() }; try expectSymbol(")") }
            return .function(FunctionCall(name: "CURRENT_TIMESTAMP"))
        }
        return try parsePrimary()
    }

    mutating func parseColumnType() throws(SQLSyntaxError) -> SQLType {
        let token = peek
        guard token.kind == .word else { throw error("expected a column type") }
        advance()
        var name = token.upper
        if name == "DOUBLE" { _ = accept("PRECISION") }
        if name == "LONG" { name = accept("VARCHAR") ? "MEDIUMTEXT" : "MEDIUMTEXT" }
        if name == "CHARACTER" && accept("VARYING") { name = "VARCHAR" }
        if name == "NATIONAL" { name = accept("VARCHAR") ? "VARCHAR" : { _ = accept("CHAR") || accept("CHARACTER"); return "CHAR" }() }
        guard Keywords.columnTypes.contains(name) else { throw error("unknown column type") }
        var type = SQLType(name: name)
        if name == "ENUM" || name == "SET" {
            try expectSymbol("(")
            repeat {
                guard peek.kind == .string else { throw error("expected a string") }
                type.members.append(advance().text)
            } while acceptSymbol(",")
            try expectSymbol(")")
        } else if acceptSymbol("(") {
            type.length = try integerValue()
            if acceptSymbol(",") { type.scale = try integerValue() }
            try expectSymbol(")")
        }
        while true {
            if accept("UNSIGNED") { type.unsigned = true }
            else if accept("SIGNED") {}
            else if accept("ZEROFILL") { type.zerofill = true; type.unsigned = true }
            else if accept("BINARY") { type.collation = "binary" }
            else if accept("ASCII") || accept("UNICODE") || accept("BYTE") {}
            else if isKeyword("CHARACTER") && isKeyword("SET", 1) { advance(); advance(); type.charset = try identifier("a character set") }
            else if accept("CHARSET") { type.charset = try identifier("a character set") }
            else if accept("COLLATE") { type.collation = peek.kind == .string ? advance().text : try identifier("a collation") }
            else { return type }
        }
    }

    /// Table options are kept as text (`ENGINE=InnoDB`); none of them changes results here.
    mutating func parseTableOptions() throws(SQLSyntaxError) -> [String] {
        var options: [String] = []
        while peek.kind == .word && !isKeyword("PARTITION") {
            var words: [String] = []
            if accept("DEFAULT") { words.append("DEFAULT") }
            guard peek.kind == .word else { throw error("expected a table option") }
            let name = advance().upper
            words.append(name)
            if name == "CHARACTER" { try expect("SET"); words.append("SET") }
            _ = acceptSymbol("=")
            let value = advance()
            guard value.kind != .end else { throw error("expected a value for \(name)") }
            options.append(words.joined(separator: " ") + "=" + (value.kind == .string ? "'\(value.text)'" : value.text))
            _ = acceptSymbol(",")
        }
        return options
    }

    mutating func parseDrop() throws(SQLSyntaxError) -> SQLStatement {
        advance()
        if accept("TEMPORARY") { throw unsupported("DROP TEMPORARY TABLE") }
        if accept("TABLE") || accept("TABLES") {
            var ifExists = false
            if accept("IF") { try expect("EXISTS"); ifExists = true }
            var tables: [TableName] = []
            repeat { tables.append(try tableName()) } while acceptSymbol(",")
            _ = accept("RESTRICT") || accept("CASCADE")
            return .dropTable(DropTableStatement(ifExists: ifExists, tables: tables))
        }
        if accept("INDEX") {
            let name = try identifier("an index name")
            try expect("ON")
            return .dropIndex(name: name, table: try tableName())
        }
        if isKeyword("VIEW") { throw unsupported("views") }
        if isKeyword("PROCEDURE") || isKeyword("FUNCTION") || isKeyword("TRIGGER") || isKeyword("DATABASE") || isKeyword("SCHEMA") {
            throw unsupported("DROP \(peek.upper)")
        }
        throw error("expected TABLE or INDEX")
    }
}
