/// One lexical token of a MySQL statement.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An unquoted word: an identifier or a keyword (`upper` tells which words it matches).
        case word
        /// A `backtick-quoted` identifier.
        case quotedIdentifier
        /// A string literal ('...' or "..."), escapes resolved.
        case string
        /// An integer literal.
        case integer
        /// A decimal or floating-point literal (`1.5`, `.5`, `1e3`).
        case number
        /// A hex literal (`0x1F`, `X'1F'`); `text` holds the hex digits.
        case hexadecimal
        /// A bit literal (`0b101`, `b'101'`); `text` holds the digits.
        case bits
        /// `?` or `:name` (Vitess bind variables).
        case parameter
        /// `@name` (user variable) or `@@name` (system variable); `text` excludes the at signs.
        case userVariable
        case systemVariable
        /// Punctuation and operators: `(`, `,`, `<=>`, `||`, ...
        case symbol
        case end
    }

    public let kind: Kind
    /// The token's text: the identifier or string value (unquoted), the digits, the symbol.
    public let text: String
    /// Uppercased text of a word, for keyword tests.
    public let upper: String
    /// Byte offset of the token's start in the statement.
    public let offset: Int
}
