extension SQLParser {
    /// An expression at the lowest precedence (OR).
    mutating func parseExpression() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseXor()
        while accept("OR") || acceptSymbol("||") {
            left = .binary(.or, left, try parseXor())
        }
        return left
    }

    mutating func parseXor() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseAnd()
        while accept("XOR") {
            left = .binary(.xor, left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseNot()
        while accept("AND") || acceptSymbol("&&") {
            left = .binary(.and, left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(SQLSyntaxError) -> SQLExpression {
        if isKeyword("NOT") && !isKeyword("EXISTS", 1) {
            advance()
            return .unary(.not, try parseNot())
        }
        return try parsePredicate()
    }

    /// Comparisons and the predicates of their level: IS, [NOT] BETWEEN, IN, LIKE, REGEXP.
    mutating func parsePredicate() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseBitOr()
        while true {
            if let op = comparisonOperator() {
                advance()
                if isKeyword("ANY") || isKeyword("SOME") || (isKeyword("ALL") && isSymbol("(", 1)) {
                    throw unsupported("\(peek.upper) (subquery) comparisons")
                }
                left = .binary(op, left, try parseBitOr())
                continue
            }
            if accept("IS") {
                let negated = accept("NOT")
                if accept("NULL") { left = .isNull(left, negated: negated) }
                else if accept("TRUE") { left = .isBoolean(left, value: true, negated: negated) }
                else if accept("FALSE") { left = .isBoolean(left, value: false, negated: negated) }
                else if accept("UNKNOWN") { left = .isBoolean(left, value: nil, negated: negated) }
                else { throw error("expected NULL, TRUE, FALSE or UNKNOWN") }
                continue
            }
            let negated = isKeyword("NOT") && (isKeyword("BETWEEN", 1) || isKeyword("IN", 1) || isKeyword("LIKE", 1)
                                               || isKeyword("REGEXP", 1) || isKeyword("RLIKE", 1))
            if negated { advance() }
            if accept("BETWEEN") {
                let low = try parseBitOr()
                try expect("AND")
                let high = try parseBitOr()
                left = .between(left, low: low, high: high, negated: negated)
            } else if accept("IN") {
                if peek.kind == .parameter && peek.text.hasPrefix(":") {
                    left = .inList(left, [try parsePrimary()], negated: negated)
                    continue
                }
                try expectSymbol("(")
                if isKeyword("SELECT") || (isSymbol("(") && isKeyword("SELECT", 1)) {
                    let query = try parseQuery()
                    try expectSymbol(")")
                    left = .inSubquery(left, query, negated: negated)
                } else {
                    var items: [SQLExpression] = []
                    if !isSymbol(")") {
                        repeat { items.append(try parseExpression()) } while acceptSymbol(",")
                    }
                    try expectSymbol(")")
                    if items.isEmpty { throw error("IN needs at least one value") }
                    left = .inList(left, items, negated: negated)
                }
            } else if accept("LIKE") {
                let pattern = try parseBitOr()
                var escape: SQLExpression?
                if accept("ESCAPE") { escape = try parseBitOr() }
                left = .like(left, pattern: pattern, escape: escape, negated: negated)
            } else if accept("REGEXP") || accept("RLIKE") {
                left = .regexp(left, pattern: try parseBitOr(), negated: negated)
            } else if isKeyword("SOUNDS") {
                throw unsupported("SOUNDS LIKE")
            } else if isKeyword("MEMBER") {
                throw unsupported("MEMBER OF")
            } else {
                if negated { throw error("") }
                return left
            }
        }
    }

    func comparisonOperator() -> BinaryOperator? {
        guard peek.kind == .symbol else { return nil }
        switch peek.text {
        case "=": return .equal
        case "<=>": return .nullSafeEqual
        case "<>", "!=": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default: return nil
        }
    }

    mutating func parseBitOr() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseBitAnd()
        while acceptSymbol("|") { left = .binary(.bitOr, left, try parseBitAnd()) }
        return left
    }

    mutating func parseBitAnd() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseShift()
        while acceptSymbol("&") { left = .binary(.bitAnd, left, try parseShift()) }
        return left
    }

    mutating func parseShift() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseAdditive()
        while true {
            if acceptSymbol("<<") { left = .binary(.shiftLeft, left, try parseAdditive()) }
            else if acceptSymbol(">>") { left = .binary(.shiftRight, left, try parseAdditive()) }
            else { return left }
        }
    }

    mutating func parseAdditive() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseMultiplicative()
        while true {
            if acceptSymbol("+") { left = .binary(.add, left, try parseMultiplicative()) }
            else if acceptSymbol("-") { left = .binary(.subtract, left, try parseMultiplicative()) }
            else { return left }
        }
    }

    mutating func parseMultiplicative() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseBitXor()
        while true {
            if acceptSymbol("*") { left = .binary(.multiply, left, try parseBitXor()) }
            else if acceptSymbol("/") { left = .binary(.divide, left, try parseBitXor()) }
            else if accept("DIV") { left = .binary(.integerDivide, left, try parseBitXor()) }
            else if acceptSymbol("%") || accept("MOD") { left = .binary(.modulo, left, try parseBitXor()) }
            else { return left }
        }
    }

    mutating func parseBitXor() throws(SQLSyntaxError) -> SQLExpression {
        var left = try parseUnary()
        while acceptSymbol("^") { left = .binary(.bitXor, left, try parseUnary()) }
        return left
    }

    mutating func parseUnary() throws(SQLSyntaxError) -> SQLExpression {
        if acceptSymbol("-") { return .unary(.minus, try parseUnary()) }
        if acceptSymbol("+") { return .unary(.plus, try parseUnary()) }
        if acceptSymbol("~") { return .unary(.bitNot, try parseUnary()) }
        if acceptSymbol("!") { return .unary(.not, try parseUnary()) }
        if isKeyword("BINARY") && !isSymbol("(", 1) {
            advance()
            return .unary(.binary, try parseUnary())
        }
        var expression = try parsePrimary()
        while true {
            if accept("COLLATE") {
                let collation = peek.kind == .string ? advance().text : try identifier("a collation")
                expression = .collate(expression, collation: collation)
            } else if acceptSymbol("->") {
                expression = .binary(.jsonExtract, expression, try parsePrimary())
            } else if acceptSymbol("->>") {
                expression = .binary(.jsonUnquoteExtract, expression, try parsePrimary())
            } else {
                return expression
            }
        }
    }

    mutating func parsePrimary() throws(SQLSyntaxError) -> SQLExpression {
        let token = peek
        switch token.kind {
        case .integer:
            advance()
            if let value = Int64(token.text) { return .literal(.integer(value)) }
            return .literal(.decimal(token.text))
        case .number:
            advance()
            if token.text.contains(where: { $0 == "e" || $0 == "E" }) {
                guard let value = Double(token.text) else { throw error("malformed number") }
                return .literal(.float(value))
            }
            return .literal(.decimal(token.text.hasPrefix(".") ? "0" + token.text : token.text))
        case .string:
            advance()
            return .literal(.string(token.text))
        case .hexadecimal:
            advance()
            return .literal(.bytes(hexBytes(token.text)))
        case .bits:
            advance()
            return .literal(.bytes(bitBytes(token.text)))
        case .parameter:
            advance()
            if token.text != "?" { return .parameter(name: token.text, index: -1) }
            parameterCount += 1
            return .parameter(name: nil, index: parameterCount - 1)
        case .userVariable:
            advance()
            return .variable(name: token.text, system: false)
        case .systemVariable:
            advance()
            return .variable(name: token.text.lowercased(), system: true)
        case .symbol where token.text == "(":
            advance()
            if isKeyword("SELECT") || (isSymbol("(") && isKeyword("SELECT", 1)) {
                let query = try parseQuery()
                try expectSymbol(")")
                return .subquery(query)
            }
            var items = [try parseExpression()]
            while acceptSymbol(",") { items.append(try parseExpression()) }
            try expectSymbol(")")
            return items.count == 1 ? items[0] : .tuple(items)
        case .quotedIdentifier:
            return try parseColumnReference()
        case .word:
            return try parseWordExpression(token)
        default:
            throw error("")
        }
    }

    mutating func parseWordExpression(_ token: Token) throws(SQLSyntaxError) -> SQLExpression {
        if token.text.hasPrefix("_") && (peek(1).kind == .string || peek(1).kind == .hexadecimal) && Keywords.charsets.contains(token.upper) {
            // A character-set introducer (_utf8mb4'x', _binary 'x'): the literal keeps its value.
            advance()
            let literal = try parsePrimary()
            if token.upper == "_BINARY", case .literal(.string(let text)) = literal { return .literal(.bytes(Array(text.utf8))) }
            return literal
        }
        switch token.upper {
        case "NULL": advance(); return .null
        case "TRUE": advance(); return .literal(.boolean(true))
        case "FALSE": advance(); return .literal(.boolean(false))
        case "CASE": return try parseCase()
        case "EXISTS":
            advance()
            try expectSymbol("(")
            let query = try parseQuery()
            try expectSymbol(")")
            return .exists(query)
        case "NOT" where isKeyword("EXISTS", 1):
            advance()
            return .unary(.not, try parseWordExpression(peek))
        case "CAST":
            advance()
            try expectSymbol("(")
            let value = try parseExpression()
            try expect("AS")
            let type = try parseCastType()
            try expectSymbol(")")
            return .cast(value, type)
        case "CONVERT":
            advance()
            try expectSymbol("(")
            let value = try parseExpression()
            if accept("USING") {
                let charset = try identifier("a character set")
                try expectSymbol(")")
                return .convertUsing(value, charset: charset)
            }
            try expectSymbol(",")
            let type = try parseCastType()
            try expectSymbol(")")
            return .cast(value, type)
        case "DEFAULT":
            advance()
            if acceptSymbol("(") {
                let column = try identifier("a column name")
                try expectSymbol(")")
                return .defaultValue(column)
            }
            return .defaultValue(nil)
        case "INTERVAL":
            advance()
            let value = try parseExpression()
            let unit = try identifier("an interval unit").uppercased()
            return .interval(value, unit: unit)
        case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "UTC_TIMESTAMP", "UTC_DATE",
             "CURRENT_USER":
            advance()
            if acceptSymbol("(") {
                var arguments: [SQLExpression] = []
                if !isSymbol(")") { arguments.append(try parseExpression()) }
                try expectSymbol(")")
                return .function(FunctionCall(name: token.upper, arguments: arguments))
            }
            return .function(FunctionCall(name: token.upper))
        case "MATCH" where isSymbol("(", 1):
            throw unsupported("MATCH ... AGAINST (full-text search)")
        default:
            break
        }
        if isSymbol("(", 1) && (!Keywords.reserved.contains(token.upper) || Keywords.reservedFunctions.contains(token.upper)) {
            return try parseFunctionCall()
        }
        guard !Keywords.reserved.contains(token.upper) else { throw error("") }
        return try parseColumnReference()
    }

    mutating func parseColumnReference() throws(SQLSyntaxError) -> SQLExpression {
        let first = peek.kind == .quotedIdentifier ? advance().text : try identifier("a column")
        guard acceptSymbol(".") else { return .column(ColumnName(name: first)) }
        let second = try qualifiedPart()
        guard acceptSymbol(".") else { return .column(ColumnName(table: TableName(name: first), name: second)) }
        let third = try qualifiedPart()
        return .column(ColumnName(table: TableName(qualifier: first, name: second), name: third))
    }

    mutating func parseCase() throws(SQLSyntaxError) -> SQLExpression {
        try expect("CASE")
        var operand: SQLExpression?
        if !isKeyword("WHEN") { operand = try parseExpression() }
        var whens: [CaseExpression.When] = []
        while accept("WHEN") {
            let condition = try parseExpression()
            try expect("THEN")
            whens.append(CaseExpression.When(condition: condition, result: try parseExpression()))
        }
        if whens.isEmpty { throw error("CASE needs WHEN") }
        var otherwise: SQLExpression?
        if accept("ELSE") { otherwise = try parseExpression() }
        try expect("END")
        return .caseWhen(CaseExpression(operand: operand, whens: whens, otherwise: otherwise))
    }

    mutating func parseFunctionCall() throws(SQLSyntaxError) -> SQLExpression {
        let nameToken = advance()
        let name = nameToken.upper
        try expectSymbol("(")
        var call = FunctionCall(name: name)
        if name == "TRIM" {
            return try parseTrim()
        }
        if name == "COUNT" && acceptSymbol("*") {
            call.star = true
            try expectSymbol(")")
            return try finishFunction(call)
        }
        if FunctionCall.aggregateNames.contains(name) {
            if accept("DISTINCT") { call.distinct = true } else { _ = accept("ALL") }
        }
        if !isSymbol(")") {
            repeat {
                call.arguments.append(try parseExpression())
            } while acceptSymbol(",")
        }
        if name == "GROUP_CONCAT" {
            call.orderBy = try parseOrderByIfPresent()
            if accept("SEPARATOR") {
                guard peek.kind == .string else { throw error("expected a separator string") }
                call.separator = advance().text
            }
        }
        try expectSymbol(")")
        return try finishFunction(call)
    }

    mutating func finishFunction(_ call: FunctionCall) throws(SQLSyntaxError) -> SQLExpression {
        if isKeyword("OVER") { throw unsupported("window functions (OVER)") }
        return .function(call)
    }

    /// `TRIM([BOTH|LEADING|TRAILING] [remove] FROM str)` and `TRIM(str)`.
    mutating func parseTrim() throws(SQLSyntaxError) -> SQLExpression {
        var side = "BOTH"
        if accept("BOTH") { side = "BOTH" } else if accept("LEADING") { side = "LEADING" } else if accept("TRAILING") { side = "TRAILING" }
        var remove: SQLExpression?
        var value: SQLExpression
        if accept("FROM") {
            value = try parseExpression()
        } else {
            let first = try parseExpression()
            if accept("FROM") {
                remove = first
                value = try parseExpression()
            } else {
                value = first
            }
        }
        try expectSymbol(")")
        var arguments = [value]
        if let remove { arguments.append(remove) }
        let name = side == "BOTH" ? "TRIM" : (side == "LEADING" ? "LTRIM_CHARS" : "RTRIM_CHARS")
        if remove == nil && side != "BOTH" { return .function(FunctionCall(name: side == "LEADING" ? "LTRIM" : "RTRIM", arguments: [value])) }
        return .function(FunctionCall(name: name, arguments: arguments))
    }

    /// The target type of CAST/CONVERT.
    mutating func parseCastType() throws(SQLSyntaxError) -> SQLType {
        let token = peek
        guard token.kind == .word else { throw error("expected a type") }
        advance()
        switch token.upper {
        case "SIGNED", "UNSIGNED":
            _ = accept("INTEGER") || accept("INT")
            return SQLType(name: token.upper, unsigned: token.upper == "UNSIGNED")
        case "DECIMAL", "DEC", "NUMERIC":
            var type = SQLType(name: "DECIMAL", length: 10, scale: 0)
            if acceptSymbol("(") {
                type.length = try integerValue()
                if acceptSymbol(",") { type.scale = try integerValue() }
                try expectSymbol(")")
            }
            return type
        case "CHAR", "NCHAR", "BINARY", "VARCHAR":
            var type = SQLType(name: token.upper)
            if acceptSymbol("(") {
                type.length = try integerValue()
                try expectSymbol(")")
            }
            if accept("CHARACTER") { try expect("SET"); type.charset = try identifier() }
            else if accept("CHARSET") { type.charset = try identifier() }
            return type
        case "DATE", "TIME", "DATETIME", "JSON", "YEAR":
            var type = SQLType(name: token.upper)
            if acceptSymbol("(") { type.length = try integerValue(); try expectSymbol(")") }
            return type
        case "DOUBLE", "FLOAT", "REAL":
            _ = accept("PRECISION")
            return SQLType(name: token.upper == "REAL" ? "DOUBLE" : token.upper)
        case "INTEGER", "INT", "BIGINT":
            return SQLType(name: "SIGNED")
        default:
            throw error("unknown type for CAST")
        }
    }

    mutating func integerValue() throws(SQLSyntaxError) -> Int {
        guard peek.kind == .integer, let value = Int(peek.text) else { throw error("expected a number") }
        advance()
        return value
    }

    func hexBytes(_ digits: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for c in digits.utf8 {
            let v: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        return bytes
    }

    func bitBytes(_ digits: String) -> [UInt8] {
        var value: [UInt8] = []
        var current: UInt16 = 0
        var count = 0
        let padded = String(repeating: "0", count: (8 - digits.utf8.count % 8) % 8) + digits
        for c in padded.utf8 {
            current = current << 1 | UInt16(c - 0x30)
            count += 1
            if count == 8 { value.append(UInt8(current)); current = 0; count = 0 }
        }
        return value
    }
}
