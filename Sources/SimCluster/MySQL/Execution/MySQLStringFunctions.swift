import SQLiteKit

extension MySQLFunctions {
    /// MySQL string functions whose SQLite namesakes differ or are missing.
    static func registerStringFunctions(on db: Connection) throws {
        func text(_ v: SQLiteValue) -> String? { MySQLNumbers.text(v) }
        try db.createFunction("mysql_concat", argumentCount: -1) { a in
            var result = ""
            for value in a {
                guard let part = text(value) else { return .null }
                result += part
            }
            return .text(result)
        }
        try db.createFunction("mysql_concat_ws", argumentCount: -1) { a in
            guard let separator = a.first.flatMap(text) else { return .null }
            return .text(a.dropFirst().compactMap(text).joined(separator: separator))
        }
        try db.createFunction("mysql_length", argumentCount: 1) { a in
            if case .blob(let b) = a[0] { return .integer(Int64(b.count)) }
            return text(a[0]).map { .integer(Int64($0.utf8.count)) } ?? .null
        }
        try db.createFunction("mysql_char_length", argumentCount: 1) { a in
            text(a[0]).map { .integer(Int64($0.count)) } ?? .null
        }
        try db.createFunction("mysql_substr", argumentCount: -1) { a in
            guard a.count >= 2, let s = text(a[0]), let p = MySQLNumbers.number(a[1]) else { return .null }
            let chars = Array(s)
            var position = Int(MySQLNumbers.roundHalfAway(p.double))
            if position == 0 { return .text("") }
            if position < 0 { position = chars.count + position + 1; if position < 1 { return .text("") } }
            var length = chars.count
            if a.count > 2 {
                guard let n = MySQLNumbers.number(a[2]) else { return .null }
                length = Int(MySQLNumbers.roundHalfAway(n.double))
                if length <= 0 { return .text("") }
            }
            let start = position - 1
            guard start < chars.count else { return .text("") }
            return .text(String(chars[start..<min(chars.count, start + length)]))
        }
        try db.createFunction("mysql_left", argumentCount: 2) { a in
            guard let s = text(a[0]), let n = MySQLNumbers.number(a[1]) else { return .null }
            return .text(String(s.prefix(max(0, Int(MySQLNumbers.roundHalfAway(n.double))))))
        }
        try db.createFunction("mysql_right", argumentCount: 2) { a in
            guard let s = text(a[0]), let n = MySQLNumbers.number(a[1]) else { return .null }
            return .text(String(s.suffix(max(0, Int(MySQLNumbers.roundHalfAway(n.double))))))
        }
        try db.createFunction("mysql_repeat", argumentCount: 2) { a in
            guard let s = text(a[0]), let n = MySQLNumbers.number(a[1]) else { return .null }
            let count = Int(MySQLNumbers.roundHalfAway(n.double))
            guard count > 0 else { return .text("") }
            guard s.utf8.count * count <= 1 << 24 else { return .null }
            return .text(String(repeating: s, count: count))
        }
        try db.createFunction("mysql_space", argumentCount: 1) { a in
            guard let n = MySQLNumbers.number(a[0]) else { return .null }
            return .text(String(repeating: " ", count: max(0, min(1 << 24, Int(MySQLNumbers.roundHalfAway(n.double))))))
        }
        try db.createFunction("mysql_reverse", argumentCount: 1) { a in text(a[0]).map { .text(String($0.reversed())) } ?? .null }
        for (name, left) in [("mysql_lpad", true), ("mysql_rpad", false)] {
            try db.createFunction(name, argumentCount: 3) { a in
                guard let s = text(a[0]), let n = MySQLNumbers.number(a[1]), let pad = text(a[2]) else { return .null }
                let length = Int(MySQLNumbers.roundHalfAway(n.double))
                if length < 0 { return .null }
                let chars = Array(s)
                if chars.count >= length { return .text(String(chars.prefix(length))) }
                guard !pad.isEmpty else { return .text("") }
                var filler: [Character] = []
                while filler.count < length - chars.count { filler.append(contentsOf: pad) }
                let fill = String(filler.prefix(length - chars.count))
                return .text(left ? fill + s : s + fill)
            }
        }
        try db.createFunction("mysql_locate", argumentCount: -1) { a in
            guard a.count >= 2, let needle = text(a[0]), let haystack = text(a[1]) else { return .null }
            var start = 1
            if a.count > 2 { guard let n = MySQLNumbers.number(a[2]) else { return .null }; start = Int(n.double) }
            return .integer(Int64(locate(needle, in: haystack, from: start)))
        }
        try db.createFunction("mysql_instr", argumentCount: 2) { a in
            guard let haystack = text(a[0]), let needle = text(a[1]) else { return .null }
            return .integer(Int64(locate(needle, in: haystack, from: 1)))
        }
        try db.createFunction("mysql_hex", argumentCount: 1) { a in
            switch a[0] {
            case .null: return .null
            case .integer(let i): return .text(String(UInt64(bitPattern: i), radix: 16, uppercase: true))
            case .real(let d):
                let r = MySQLNumbers.roundHalfAway(d)
                return .text(String(r < 0 ? UInt64(bitPattern: Int64(r)) : UInt64(min(r, 1.8e19)), radix: 16, uppercase: true))
            case .text(let s): return .text(s.utf8.map { hexByte($0) }.joined())
            case .blob(let b): return .text(b.map { hexByte($0) }.joined())
            }
        }
        try db.createFunction("mysql_ascii", argumentCount: 1) { a in
            text(a[0]).map { .integer(Int64($0.utf8.first ?? 0)) } ?? .null
        }
        try db.createFunction("mysql_strcmp", argumentCount: 2) { a in
            guard let x = text(a[0]), let y = text(a[1]) else { return .null }
            return .integer(Int64(MySQLCollation.compare(x, y).signum()))
        }
        try db.createFunction("mysql_trim_chars", argumentCount: 3) { a in
            // (string, remove, side): side 0 both, 1 leading, 2 trailing.
            guard var s = text(a[0]), let remove = text(a[1]) else { return .null }
            let side = a[2].integer ?? 0
            guard !remove.isEmpty else { return .text(s) }
            if side != 2 { while s.hasPrefix(remove) { s.removeFirst(remove.count) } }
            if side != 1 { while s.hasSuffix(remove) { s.removeLast(remove.count) } }
            return .text(s)
        }
        try db.createFunction("mysql_substring_index", argumentCount: 3) { a in
            guard let s = text(a[0]), let delimiter = text(a[1]), let n = MySQLNumbers.number(a[2]) else { return .null }
            let count = Int(n.double)
            guard !delimiter.isEmpty, count != 0 else { return .text("") }
            let parts = s.components(separatedByText: delimiter)
            if count > 0 { return .text(parts.prefix(count).joined(separator: delimiter)) }
            return .text(parts.suffix(-count).joined(separator: delimiter))
        }
        try db.createFunction("mysql_find_in_set", argumentCount: 2) { a in
            guard let needle = text(a[0]), let list = text(a[1]) else { return .null }
            let items = list.components(separatedByText: ",")
            return .integer(Int64((items.firstIndex { MySQLCollation.compare($0, needle) == 0 }).map { $0 + 1 } ?? 0))
        }
        try db.createFunction("mysql_field", argumentCount: -1) { a in
            guard let first = a.first, !first.isNull else { return .integer(0) }
            for (i, candidate) in a.dropFirst().enumerated() where compareValues(first, candidate) == 0 { return .integer(Int64(i + 1)) }
            return .integer(0)
        }
        try db.createFunction("mysql_elt", argumentCount: -1) { a in
            guard let n = a.first?.integer, n >= 1, Int(n) < a.count else { return .null }
            return text(a[Int(n)]).map { .text($0) } ?? .null
        }
        try db.createFunction("mysql_isnull", argumentCount: 1) { a in .integer(a[0].isNull ? 1 : 0) }
        try db.createFunction("mysql_char", argumentCount: -1) { a in
            var bytes: [UInt8] = []
            for value in a {
                guard let n = MySQLNumbers.number(value) else { continue }
                var x = UInt32(truncatingIfNeeded: Int64(n.double))
                var chunk: [UInt8] = []
                repeat { chunk.insert(UInt8(x & 0xFF), at: 0); x >>= 8 } while x > 0
                bytes += chunk
            }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// 1-based position of `needle` in `haystack` at or after `start`, under the collation.
    static func locate(_ needle: String, in haystack: String, from start: Int) -> Int {
        let h = Array(haystack)
        let n = Array(needle)
        guard start >= 1 else { return 0 }
        if n.isEmpty { return start <= h.count + 1 ? start : 0 }
        guard n.count <= h.count else { return 0 }
        var i = start - 1
        while i + n.count <= h.count {
            if MySQLCollation.compare(String(h[i..<(i + n.count)]), needle) == 0 { return i + 1 }
            i += 1
        }
        return 0
    }

    static func hexByte(_ b: UInt8) -> String {
        let h = String(b, radix: 16, uppercase: true)
        return h.count == 1 ? "0" + h : h
    }

    /// MySQL's comparison of two values: numbers numerically, texts under the collation.
    static func compareValues(_ a: SQLiteValue, _ b: SQLiteValue) -> Int {
        switch (a, b) {
        case (.text(let x), .text(let y)): return MySQLCollation.compare(x, y)
        default:
            let x = MySQLNumbers.number(a)?.double ?? 0
            let y = MySQLNumbers.number(b)?.double ?? 0
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}

extension String {
    /// Splits at every occurrence of `separator` (no Foundation).
    func components(separatedByText separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
