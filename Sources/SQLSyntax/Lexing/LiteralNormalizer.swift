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
    /// parameters already, or does not lex.
    public static func normalize(_ sql: String) -> NormalizedStatement? {
        var lexer = Lexer(sql)
        var tokens: [(token: Token, end: Int)] = []
        do {
            while true {
                let token = try lexer.next()
                if token.kind == .end { break }
                if token.kind == .parameter { return nil }
                tokens.append((token, lexer.position))
            }
        } catch {
            return nil
        }
        var shape: [UInt8] = []
        var literals: [Literal] = []
        var placeholders: [Int] = []
        var copied = 0
        var inLimit = false
        for (i, (token, end)) in tokens.enumerated() {
            let previous = i > 0 ? tokens[i - 1].token : nil
            let next = i + 1 < tokens.count ? tokens[i + 1].token : nil
            var literal: Literal?
            switch token.kind {
            case .integer where !inLimit && !(previous.map { $0.kind == .word && ["OFFSET", "INTERVAL"].contains($0.upper) } ?? false):
                literal = Int64(token.text).map(Literal.integer)
            case .string:
                let joined = previous?.kind == .string || next?.kind == .string
                let introduced = previous.map { $0.kind == .word && ($0.text.hasPrefix("_") || Self.stringPrefixes.contains($0.upper)) } ?? false
                if !joined && !introduced && !token.text.utf8.contains(0) { literal = .string(token.text) }
            default:
                break
            }
            // LIMIT a, b and LIMIT a OFFSET b keep their numbers (they are not expressions).
            if token.kind == .word && token.upper == "LIMIT" {
                inLimit = true
            } else if inLimit && token.kind != .integer && !(token.kind == .symbol && token.text == ",") {
                inLimit = false
            }
            guard let literal else { continue }
            shape.append(contentsOf: lexer.bytes[copied..<token.offset])
            placeholders.append(shape.count)
            shape.append(UInt8(ascii: "?"))
            copied = end
            literals.append(literal)
        }
        guard !literals.isEmpty else { return nil }
        shape.append(contentsOf: lexer.bytes[copied...])
        return NormalizedStatement(shape: String(decoding: shape, as: UTF8.self), literals: literals, placeholders: placeholders)
    }

    /// Words before a string that make it something other than a plain string value.
    static let stringPrefixes: Set<String> = ["N", "DATE", "TIME", "TIMESTAMP", "INTERVAL", "X", "B"]
}
