

/// A script of SQL statements separated by `;` (semicolons inside strings and comments do not
/// count; comments before a statement are dropped, those after its first word kept).
public enum SQLScript {
    public static func statements(_ text: String) throws(SQLSyntaxError) -> [String] {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start: Int?
        for token in try Lexer.tokens(text) {
            if token.kind == .end || (token.kind == .symbol && token.text == ";") {
                if let s = start {
                    let end = token.kind == .end ? bytes.count : token.offset
                    statements.append(String(decoding: bytes[s..<end], as: UTF8.self).trimmingTrailingWhitespace())
                }
                start = nil
            } else if start == nil {
                start = token.offset
            }
        }
        return statements.filter { !$0.isEmpty }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
