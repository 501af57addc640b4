/// A statement's text with its plain literals taken out: `shape` has a `?` where each was, and
/// `literals` holds them in order. Statements that differ only in their literals share a shape,
/// so whatever is derived from the shape (a parse, a translation, a prepared statement) can be
/// kept once for all of them.
public struct NormalizedStatement: Sendable, Equatable {
    public let shape: String
    /// Integer and string literals, in text order.
    public let literals: [Literal]
    /// The byte offset in `shape` of each literal's `?`.
    public let placeholders: [Int]

    /// The shape with each `?` replaced by the text of `values[i]` (MySQL literals).
    public func filled(with values: [Literal]) -> String {
        precondition(values.count == placeholders.count, "one value per placeholder")
        let printer = SQLPrinter(dialect: .mysql)
        var bytes = Array(shape.utf8)
        for (offset, value) in zip(placeholders, values).reversed() {
            bytes.replaceSubrange(offset..<offset + 1, with: Array(printer.literal(value).utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Takes the plain integer and string literals out of a statement (see `NormalizedStatement`).
///
/// Only literals that stand alone as values are taken: not those after LIMIT, OFFSET or
/// INTERVAL, strings next to another string (MySQL joins them), strings after a charset
/// introducer or a temporal keyword (`_utf8mb4'a'`, `DATE '2024-01-01'`), strings holding a NUL,
/// integers beyond 64 bits. Whether a shape means the same statement with its literals bound is
/// for the user of the shape to check (the parse can still differ: `ORDER BY 1`, `SELECT 1`).
public enum LiteralNormalizer {
    /// The statement's shape and literals; nil when it has no literal to take out, holds bind
    /// parameters, variables or comments, or does not lex.
    ///
    /// A byte scanner that finds token boundaries as the lexer does, without making the lexer's
    /// token strings (this runs on every statement a gateway or a node receives); strings are
    /// read by the lexer itself, so they decode and join exactly as in a parse. Anything it does
    /// not need to understand (hex and bit literals, `.5`, comments, `@`, `:`) makes it give up.
    public static func normalize(_ sql: String) -> NormalizedStatement? {
        var lexer = Lexer(sql)
        let bytes = lexer.bytes
        let n = bytes.count
        var out = Output()
        out.shape.reserveCapacity(n)
        var i = 0
        // The previous token, as far as the rules need it (a word's bounds, not a slice: a slice
        // retains the bytes at every token).
        var previousWord = 0..<0
        var previousIsWord = false
        var inLimit = false

        while i < n {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C { i += 1; continue }
            let start = i
            var isWord = false
            var isLimitPart = false
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                lexer.position = i
                guard let text = try? lexer.readString(quote: c, start: i) else { return nil }
                i = lexer.position
                let introduced = previousIsWord
                    && (bytes[previousWord.lowerBound] == UInt8(ascii: "_") || Self.isAny(bytes, previousWord, of: Self.stringPrefixes))
                if !introduced && !text.utf8.contains(0) { out.take(.string(text), from: start, to: i, in: bytes) }
            } else if c >= 0x30 && c <= 0x39 {
                if c == 0x30 && i + 2 < n && (bytes[i + 1] | 0x20 == UInt8(ascii: "x") || bytes[i + 1] | 0x20 == UInt8(ascii: "b")) {
                    // 0x1F and 0b101 stay as they are; 0x1g and the like are for the lexer to judge.
                    let hex = bytes[i + 1] | 0x20 == UInt8(ascii: "x")
                    func isDigit(_ b: UInt8) -> Bool {
                        hex ? (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) : b == 0x30 || b == 0x31
                    }
                    guard isDigit(bytes[i + 2]) else { return nil }
                    i += 2
                    while i < n && isDigit(bytes[i]) { i += 1 }
                    if i < n && Self.isWordByte(bytes[i]) { return nil }
                    previousIsWord = false
                    inLimit = false
                    continue
                }
                i = Self.skipDigits(bytes, from: i)
                // 1.5, 1e3 and 1.5E-2 stay as they are.
                var isInteger = true
                if i < n && bytes[i] == UInt8(ascii: ".") {
                    isInteger = false
                    i += 1
                    i = Self.skipDigits(bytes, from: i)
                }
                if i < n && bytes[i] | 0x20 == UInt8(ascii: "e") {
                    let save = i
                    i += 1
                    if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
                    if i < n && bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                        isInteger = false
                        i = Self.skipDigits(bytes, from: i)
                    } else {
                        i = save
                    }
                }
                if !isInteger {
                    // A decimal or float literal: kept.
                } else if i < n && Self.isWordByte(bytes[i]) {
                    // 1abc is an identifier.
                    while i < n && Self.isWordByte(bytes[i]) { i += 1 }
                    isWord = true
                } else if inLimit || (previousIsWord && Self.isAny(bytes, previousWord, of: Self.countWords)) {
                    isLimitPart = inLimit
                } else if let value = Self.integer(bytes, start..<i) {
                    out.take(.integer(value), from: start, to: i, in: bytes)
                }
            } else if Self.isWordByte(c) {
                while i < n && Self.isWordByte(bytes[i]) { i += 1 }
                // X'1F' and B'101' are hex and bit literals.
                if i - start == 1 && i < n && bytes[i] == UInt8(ascii: "'") && (c | 0x20 == UInt8(ascii: "x") || c | 0x20 == UInt8(ascii: "b")) { return nil }
                isWord = true
            } else if c == UInt8(ascii: "`") {
                i += 1
                while true {
                    guard i < n else { return nil }
                    if bytes[i] == UInt8(ascii: "`") {
                        if i + 1 < n && bytes[i + 1] == UInt8(ascii: "`") { i += 2; continue }
                        i += 1
                        break
                    }
                    i += 1
                }
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "-") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "-")
                                                  && (i + 2 >= n || [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(bytes[i + 2]))) {
                // A comment to the end of the line: copied as it is, like the space around tokens.
                while i < n && bytes[i] != 0x0A { i += 1 }
                continue
            } else if c == UInt8(ascii: "/") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "*") {
                // A comment (a version comment's code too): copied as it is, its literals kept.
                i += 2
                while i + 1 < n && !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                guard i + 1 < n else { return nil }
                i += 2
                continue
            } else if c == UInt8(ascii: "?") || c == UInt8(ascii: ":") || c == UInt8(ascii: "@") || c == UInt8(ascii: "\\")
                        || (c == UInt8(ascii: ".") && i + 1 < n && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) {
                return nil
            } else {
                // Punctuation and operators, a byte at a time (no multi-byte symbol starts a
                // literal or a word, so their boundaries do not matter here).
                i += 1
                isLimitPart = inLimit && c == UInt8(ascii: ",")
            }
            if isWord && Self.equalsIgnoringCase(bytes, start..<i, "LIMIT") {
                inLimit = true
            } else {
                inLimit = isLimitPart
            }
            previousIsWord = isWord
            previousWord = isWord ? start..<i : 0..<0
        }
        guard !out.literals.isEmpty else { return nil }
        out.shape.append(contentsOf: bytes[out.copied...])
        return NormalizedStatement(shape: String(decoding: out.shape, as: UTF8.self), literals: out.literals, placeholders: out.placeholders)
    }

    /// The shape being written: the text copied up to each literal taken, a `?` in its place.
    /// (A struct, not captured variables: captures are checked for exclusive access at run time.)
    struct Output {
        var shape: [UInt8] = []
        var literals: [Literal] = []
        var placeholders: [Int] = []
        /// How much of the text is in `shape`.
        var copied = 0

        mutating func take(_ literal: Literal, from start: Int, to end: Int, in bytes: [UInt8]) {
            shape.append(contentsOf: bytes[copied..<start])
            placeholders.append(shape.count)
            shape.append(UInt8(ascii: "?"))
            copied = end
            literals.append(literal)
        }
    }

    /// The index after the decimal digits from `index` on.
    static func skipDigits(_ bytes: [UInt8], from index: Int) -> Int {
        var i = index
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        return i
    }

    /// Whether `bytes[range]` is one of `words` but for case.
    static func isAny(_ bytes: [UInt8], _ range: Range<Int>, of words: [StaticString]) -> Bool {
        words.contains { equalsIgnoringCase(bytes, range, $0) }
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x24 || c >= 0x80
    }

    /// Whether `bytes[range]` is `word` (ASCII letters) but for case.
    static func equalsIgnoringCase(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let letters = word.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] | 0x20 != letters[offset] | 0x20 { return false }
        return true
    }

    /// The value of the decimal digits `bytes[range]`; nil beyond 64 bits.
    static func integer(_ bytes: [UInt8], _ range: Range<Int>) -> Int64? {
        var value: Int64 = 0
        for index in range {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[index] &- 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// Words before a string that make it something other than a plain string value.
    static let stringPrefixes: [StaticString] = ["N", "DATE", "TIME", "TIMESTAMP", "INTERVAL"]
    /// Words before an integer that make it a count, not a value.
    static let countWords: [StaticString] = ["OFFSET", "INTERVAL"]
}
