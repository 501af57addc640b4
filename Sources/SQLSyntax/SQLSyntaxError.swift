/// A statement that is not valid MySQL, or uses a construct this implementation refuses. Maps to
/// MySQL error 1064 (syntax) or 1235 (not supported), with the position.
public struct SQLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based byte offset of the offending token.
    public let offset: Int
    /// The text near the error.
    public let near: String
    public let message: String
    /// True when the statement is valid MySQL but uses something not supported.
    public let unsupported: Bool

    public init(offset: Int, near: String, message: String, unsupported: Bool = false) {
        self.offset = offset
        self.near = near
        self.message = message
        self.unsupported = unsupported
    }

    /// Vitess's wording: `syntax error at position 12 near 'frm'` (1-based position).
    public var description: String {
        if unsupported { return "unsupported: \(message)" }
        return "syntax error at position \(offset + 1) near '\(near)'" + (message.isEmpty ? "" : ": \(message)")
    }
}
