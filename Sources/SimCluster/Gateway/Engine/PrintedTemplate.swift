import SQLSyntax

/// A shard statement with the normalizer's bind variables (`:vtg1`, ...) printed once, split at
/// them, so that each execution splices its values' literals in instead of substituting them
/// into the tree and printing it all again. The text is the same either way: a literal prints
/// as itself wherever it stands.
struct PrintedTemplate {
    /// The text between the bind variables (one more piece than names).
    let pieces: [String]
    let names: [String]

    /// Nil when the statement has other bind variables, or when its printed text holds `:vtg`
    /// anywhere but at its bind variables (a string literal could).
    init?(_ statement: SQLStatement) {
        var parameters = 0
        var foreign = false
        _ = statement.rewritingExpressions { node in
            if case .parameter(let name, _) = node {
                if let name, ShapePlans.isName(name) { parameters += 1 } else { foreign = true }
            }
            return node
        }
        guard parameters > 0, !foreign else { return nil }
        let text = Array(SQLPrinter().print(statement).utf8)
        var pieces: [String] = []
        var names: [String] = []
        var copied = 0
        var i = 0
        let marker = Array(":vtg".utf8)
        while i + marker.count < text.count {
            guard text[i..<i + marker.count].elementsEqual(marker) else { i += 1; continue }
            var end = i + marker.count
            while end < text.count && text[end] >= 0x30 && text[end] <= 0x39 { end += 1 }
            guard end > i + marker.count else { i += 1; continue }
            pieces.append(String(decoding: text[copied..<i], as: UTF8.self))
            names.append(String(decoding: text[i + 1..<end], as: UTF8.self))
            copied = end
            i = end
        }
        guard names.count == parameters else { return nil }
        pieces.append(String(decoding: text[copied...], as: UTF8.self))
        self.pieces = pieces
        self.names = names
    }

    /// The text with the values of `bindVariables` in; nil when one is missing or a list.
    func filled(_ bindVariables: BindVariables) -> String? {
        let printer = SQLPrinter()
        var text = pieces[0]
        for (name, piece) in zip(names, pieces.dropFirst()) {
            guard case .value(let value)? = bindVariables[name] else { return nil }
            text += printer.print(value.sqlLiteral)
            text += piece
        }
        return text
    }
}
