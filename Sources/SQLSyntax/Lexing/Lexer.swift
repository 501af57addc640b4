/// Splits a MySQL statement into tokens. Works on UTF-8 bytes; comments (`-- `, `#`, `/* */`) are
/// skipped, MySQL's `/*! ... */` version comments are read as code.
public struct Lexer {
    let bytes: [UInt8]
    var position = 0

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// All tokens, ending with an `.end` token.
    public static func tokens(_ text: String) throws(SQLSyntaxError) -> [Token] {
        var lexer = Lexer(text)
        var result: [Token] = []
        result.reserveCapacity(lexer.bytes.count / 3)
        while true {
            let token = try lexer.next()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    func byte(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func skipSpaceAndComments() throws(SQLSyntaxError) {
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                position += 1
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && byte(position + 1) == UInt8(ascii: "-")
                                                   && (isSpace(byte(position + 2)) || position + 2 >= bytes.count)) {
                while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            } else if c == UInt8(ascii: "/") && byte(position + 1) == UInt8(ascii: "*") {
                if byte(position + 2) == UInt8(ascii: "!") {
                    // /*!50000 code */: the code counts; skip the marker and version digits.
                    position += 3
                    while position < bytes.count && isDigit(bytes[position]) { position += 1 }
                    versionCommentDepth += 1
                    continue
                }
                let start = position
                position += 2
                while position < bytes.count && !(bytes[position] == UInt8(ascii: "*") && byte(position + 1) == UInt8(ascii: "/")) {
                    position += 1
                }
                guard position < bytes.count else {
                    throw SQLSyntaxError(offset: start, near: "/*", message: "unterminated comment")
                }
                position += 2
            } else if c == UInt8(ascii: "*") && byte(position + 1) == UInt8(ascii: "/") && versionCommentDepth > 0 {
                versionCommentDepth -= 1
                position += 2
            } else {
                return
            }
        }
    }

    var versionCommentDepth = 0

    func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
    func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || isDigit(c) || c == 0x5F || c == 0x24 || c >= 0x80
    }

    func make(_ kind: Token.Kind, _ text: String, _ start: Int, upper: String = "") -> Token {
        Token(kind: kind, text: text, upper: upper, offset: start)
    }

    /// The next token.
    public mutating func next() throws(SQLSyntaxError) -> Token {
        try skipSpaceAndComments()
        let start = position
        guard position < bytes.count else { return make(.end, "", start) }
        let c = bytes[position]

        // Hex and bit literals written X'..' and B'..' (before words take the letter).
        if (c | 0x20 == UInt8(ascii: "x") || c | 0x20 == UInt8(ascii: "b")) && byte(position + 1) == UInt8(ascii: "'") {
            let hex = c | 0x20 == UInt8(ascii: "x")
            position += 2
            let digitsStart = position
            while position < bytes.count && bytes[position] != UInt8(ascii: "'") { position += 1 }
            guard position < bytes.count else { throw SQLSyntaxError(offset: start, near: text(start, position), message: "unterminated literal") }
            let digits = text(digitsStart, position)
            position += 1
            let valid = hex ? digits.utf8.allSatisfy(isHex) && digits.utf8.count % 2 == 0 : digits.utf8.allSatisfy { $0 == 0x30 || $0 == 0x31 }
            guard valid else { throw SQLSyntaxError(offset: start, near: text(start, position), message: "malformed \(hex ? "hex" : "bit") literal") }
            return make(hex ? .hexadecimal : .bits, digits, start)
        }
        if c == UInt8(ascii: "0") && (byte(position + 1) | 0x20 == UInt8(ascii: "x")) && isHex(byte(position + 2)) {
            position += 2
            let digitsStart = position
            while position < bytes.count && isHex(bytes[position]) { position += 1 }
            if position < bytes.count && isWordByte(bytes[position]) {
                // 0x12g is an identifier in MySQL; we refuse it rather than guess.
                throw SQLSyntaxError(offset: start, near: text(start, position + 1), message: "malformed hex literal")
            }
            var digits = text(digitsStart, position)
            if digits.utf8.count % 2 == 1 { digits = "0" + digits }
            return make(.hexadecimal, digits, start)
        }
        if c == UInt8(ascii: "0") && (byte(position + 1) | 0x20 == UInt8(ascii: "b")) && (byte(position + 2) == 0x30 || byte(position + 2) == 0x31) {
            position += 2
            let digitsStart = position
            while position < bytes.count && (bytes[position] == 0x30 || bytes[position] == 0x31) { position += 1 }
            if !(position < bytes.count && isWordByte(bytes[position])) {
                return make(.bits, text(digitsStart, position), start)
            }
            position = start
        }

        // Numbers: 12, 1.5, .5, 1e3, 1.5E-2.
        if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(byte(position + 1))) {
            var isInteger = true
            while position < bytes.count && isDigit(bytes[position]) { position += 1 }
            if byte(position) == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                while position < bytes.count && isDigit(bytes[position]) { position += 1 }
            }
            if byte(position) | 0x20 == UInt8(ascii: "e") {
                let save = position
                position += 1
                if byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-") { position += 1 }
                if isDigit(byte(position)) {
                    isInteger = false
                    while position < bytes.count && isDigit(bytes[position]) { position += 1 }
                } else {
                    position = save
                }
            }
            // 1abc is an identifier in MySQL (digits then letters).
            if position < bytes.count && isWordByte(bytes[position]) && isInteger {
                while position < bytes.count && isWordByte(bytes[position]) { position += 1 }
                let word = text(start, position)
                return make(.word, word, start, upper: word.uppercased())
            }
            return make(isInteger ? .integer : .number, text(start, position), start)
        }

        if isWordByte(c) {
            while position < bytes.count && isWordByte(bytes[position]) { position += 1 }
            let word = text(start, position)
            return make(.word, word, start, upper: asciiUppercased(word))
        }

        switch c {
        case UInt8(ascii: "`"):
            position += 1
            var value: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    throw SQLSyntaxError(offset: start, near: text(start, position), message: "unterminated quoted identifier")
                }
                let b = bytes[position]
                if b == UInt8(ascii: "`") {
                    if byte(position + 1) == UInt8(ascii: "`") { value.append(b); position += 2; continue }
                    position += 1
                    break
                }
                value.append(b)
                position += 1
            }
            return make(.quotedIdentifier, String(decoding: value, as: UTF8.self), start)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return make(.string, try readString(quote: c, start: start), start)
        case UInt8(ascii: "?"):
            position += 1
            return make(.parameter, "?", start)
        case UInt8(ascii: ":"):
            if byte(position + 1) == UInt8(ascii: ":") && isWordByte(byte(position + 2)) {
                // ::name is a Vitess list bind variable (IN ::vals).
                position += 2
                let nameStart = position
                while position < bytes.count && isWordByte(bytes[position]) { position += 1 }
                return make(.parameter, ":" + text(nameStart, position), start)
            }
            if byte(position + 1) == UInt8(ascii: "=") {
                position += 2
                return make(.symbol, ":=", start)
            }
            if isWordByte(byte(position + 1)) {
                position += 1
                let nameStart = position
                while position < bytes.count && isWordByte(bytes[position]) { position += 1 }
                return make(.parameter, text(nameStart, position), start)
            }
        case UInt8(ascii: "@"):
            let system = byte(position + 1) == UInt8(ascii: "@")
            position += system ? 2 : 1
            let nameStart = position
            if byte(position) == UInt8(ascii: "`") || byte(position) == UInt8(ascii: "'") || byte(position) == UInt8(ascii: "\"") {
                let quoted = try next()
                return make(system ? .systemVariable : .userVariable, quoted.text, start)
            }
            while position < bytes.count && (isWordByte(bytes[position]) || bytes[position] == UInt8(ascii: ".")) { position += 1 }
            guard position > nameStart else { throw SQLSyntaxError(offset: start, near: "@", message: "a variable needs a name") }
            return make(system ? .systemVariable : .userVariable, text(nameStart, position), start)
        default:
            break
        }

        // Symbols, longest first.
        for symbol in Self.threeByteSymbols where matches(symbol) {
            position += 3
            return make(.symbol, symbol, start)
        }
        for symbol in Self.twoByteSymbols where matches(symbol) {
            position += 2
            return make(.symbol, symbol, start)
        }
        if Self.oneByteSymbols.contains(c) {
            position += 1
            return make(.symbol, String(UnicodeScalar(c)), start)
        }
        throw SQLSyntaxError(offset: start, near: text(start, min(start + 1, bytes.count)), message: "unexpected character")
    }

    static let threeByteSymbols = ["<=>", "->>"]
    static let twoByteSymbols = ["<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", "->"]
    static let oneByteSymbols: Set<UInt8> = Set("()[],;.=<>+-*/%&|^~!{}".utf8)

    func matches(_ symbol: String) -> Bool {
        var i = position
        for b in symbol.utf8 {
            if byte(i) != b { return false }
            i += 1
        }
        return true
    }

    /// Reads a quoted string with MySQL's escapes (`\n`, `\'`, doubled quotes, ...).
    mutating func readString(quote: UInt8, start: Int) throws(SQLSyntaxError) -> String {
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw SQLSyntaxError(offset: start, near: text(start, min(start + 20, bytes.count)), message: "unterminated string")
            }
            let b = bytes[position]
            if b == quote {
                if byte(position + 1) == quote { value.append(quote); position += 2; continue }
                position += 1
                break
            }
            if b == UInt8(ascii: "\\") && position + 1 < bytes.count {
                let e = bytes[position + 1]
                switch e {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "b"): value.append(0x08)
                case UInt8(ascii: "0"): value.append(0x00)
                case UInt8(ascii: "Z"): value.append(0x1A)
                // \% and \_ keep their backslash (LIKE escapes), as MySQL does.
                case UInt8(ascii: "%"), UInt8(ascii: "_"): value.append(b); value.append(e)
                default: value.append(e)
                }
                position += 2
                continue
            }
            value.append(b)
            position += 1
        }
        // Adjacent string literals concatenate: 'a' 'b' is 'ab'.
        let save = position
        try skipSpaceAndComments()
        if position < bytes.count && (bytes[position] == UInt8(ascii: "'") || bytes[position] == UInt8(ascii: "\"")) {
            let rest = try readString(quote: bytes[position], start: position)
            return String(decoding: value, as: UTF8.self) + rest
        }
        position = save
        return String(decoding: value, as: UTF8.self)
    }
}

/// Uppercases ASCII letters only (keywords are ASCII; identifiers keep their case elsewhere).
func asciiUppercased(_ word: String) -> String {
    var bytes = Array(word.utf8)
    var changed = false
    for i in bytes.indices where bytes[i] >= 0x61 && bytes[i] <= 0x7A {
        bytes[i] -= 0x20
        changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : word
}
