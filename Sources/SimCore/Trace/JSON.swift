/// Minimal JSON text output with a fixed key order (Foundation's encoder sorts nothing for us and
/// is slow on the trace path).
public enum JSON {
    /// Appends `text` as a JSON string literal.
    public static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = ""
        writeString(text, into: &out)
        return out
    }
}

/// Builds one JSON object with keys in insertion order.
public struct JSONObject {
    private var body = ""

    public init() {}

    private mutating func key(_ name: String) {
        if !body.isEmpty { body += "," }
        JSON.writeString(name, into: &body)
        body += ":"
    }

    public mutating func add(_ name: String, _ value: String) { key(name); JSON.writeString(value, into: &body) }
    public mutating func add(_ name: String, _ value: Int) { key(name); body += String(value) }
    public mutating func add(_ name: String, _ value: Int64) { key(name); body += String(value) }
    public mutating func add(_ name: String, _ value: UInt64) { key(name); body += String(value) }
    public mutating func add(_ name: String, _ value: Bool) { key(name); body += value ? "true" : "false" }
    public mutating func add(_ name: String, _ value: Double) { key(name); body += value.isFinite ? "\(value)" : "null" }
    public mutating func add(_ name: String, _ value: TraceValue) { key(name); value.writeJSON(into: &body) }
    /// Adds already-encoded JSON (an object or array built elsewhere).
    public mutating func add(_ name: String, json: String) { key(name); body += json }
    public mutating func addNull(_ name: String) { key(name); body += "null" }

    public var text: String { "{" + body + "}" }
}
