import SQLiteKit

/// MySQL's rules for reading numbers out of strings and writing numbers as text.
enum MySQLNumbers {
    /// A number read from text.
    enum Number: Equatable {
        case integer(Int64)
        case real(Double)

        var double: Double {
            switch self {
            case .integer(let i): Double(i)
            case .real(let d): d
            }
        }
    }

    /// Reads the longest numeric prefix of `text` as MySQL does ('12abc' is 12, 'abc' is 0).
    /// `complete` says whether the whole text (but surrounding spaces) was the number;
    /// `sawDigits` whether any digit was read at all.
    static func prefix(_ text: String) -> (number: Number, complete: Bool, sawDigits: Bool) {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        let start = i
        if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
        var digits = 0
        while i < bytes.count && isDigit(bytes[i]) { i += 1; digits += 1 }
        var isInteger = true
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            var j = i + 1
            var fraction = 0
            while j < bytes.count && isDigit(bytes[j]) { j += 1; fraction += 1 }
            if digits + fraction > 0 { i = j; digits += fraction; isInteger = false }
        }
        if digits > 0 && i < bytes.count && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            var j = i + 1
            if j < bytes.count && (bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-")) { j += 1 }
            var exponent = 0
            while j < bytes.count && isDigit(bytes[j]) { j += 1; exponent += 1 }
            if exponent > 0 { i = j; isInteger = false }
        }
        let end = i
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        let complete = i == bytes.count && digits > 0
        guard digits > 0 else { return (.integer(0), false, false) }
        let numeral = String(decoding: bytes[start..<end], as: UTF8.self)
        if isInteger, let value = Int64(numeral) { return (.integer(value), complete, true) }
        return (.real(Double(numeral) ?? 0), complete, true)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// A value as a number in a numeric context (NULL stays nil).
    static func number(_ value: SQLiteValue) -> Number? {
        switch value {
        case .null: nil
        case .integer(let i): .integer(i)
        case .real(let d): .real(d)
        case .text(let s): prefix(s).number
        case .blob(let b): prefix(String(decoding: b, as: UTF8.self)).number
        }
    }

    /// Truth value in MySQL: NULL is unknown, otherwise non-zero is true.
    static func truth(_ value: SQLiteValue) -> Bool? {
        number(value).map { $0.double != 0 }
    }

    /// Rounds half away from zero, as MySQL rounds exact values.
    static func roundHalfAway(_ d: Double) -> Double {
        d < 0 ? -(-d + 0.5).rounded(.down) : (d + 0.5).rounded(.down)
    }

    /// Rounds half away from zero at `scale` decimal places.
    static func round(_ d: Double, scale: Int) -> Double {
        if scale <= 0 && scale > -20 {
            var factor = 1.0
            for _ in 0..<(-scale) { factor *= 10 }
            return roundHalfAway(d / factor) * factor
        }
        var factor = 1.0
        for _ in 0..<min(scale, 30) { factor *= 10 }
        let scaled = d * factor
        guard abs(scaled) < 9e15 else { return d }
        // Correct binary error first (2.675 is stored as 2.67499999...): round the scaled value
        // to 9 significant decimals before rounding half away.
        let corrected = (scaled * 1e6).rounded() / 1e6
        return roundHalfAway(corrected) / factor
    }

    /// A double as MySQL writes it in text: integral values without a fraction below 1e15,
    /// otherwise the shortest exact form with MySQL's exponent style (`1e20`, `1.5e-7`).
    static func text(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "NULL" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        var text = "\(d)"
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            var exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            if exponent.hasPrefix("+") { exponent.removeFirst() }
            text = mantissa + "e" + exponent
        }
        return text
    }

    /// A value as MySQL turns it into text (for CONCAT, CAST AS CHAR, string columns).
    static func text(_ value: SQLiteValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let i): String(i)
        case .real(let d): text(d)
        case .text(let s): s
        case .blob(let b): String(decoding: b, as: UTF8.self)
        }
    }
}
