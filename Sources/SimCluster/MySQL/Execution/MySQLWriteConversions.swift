import CSQLite
import SQLSyntax
import SQLiteKit

/// How a value becomes what a column of a MySQL type stores, in strict mode: MySQL's conversions
/// (rounding, trimming, '12' to 12) and its errors (1264, 1366, 1265, 1406, 1292). The node wraps
/// every value it writes in the function `conversion(for:)` names.
extension MySQLFunctions {
    /// The SQL that converts `value` for writing into `column` (row number for messages).
    static func conversion(_ value: String, for column: TableSchema.Column, row: Int) -> String {
        let type = column.type
        let quote = SQLPrinter(dialect: .sqlite)
        let name = quote.stringLiteral(column.name)
        switch type.family {
        case .integer:
            let range = type.integerRange ?? (Int64.min...Int64.max)
            return "mysql_store_int(\(value), \(range.lowerBound), \(range.upperBound), \(name), \(row))"
        case .decimal:
            return "mysql_store_decimal(\(value), \(type.length ?? 10), \(type.scale ?? 0), \(name), \(row))"
        case .float:
            return "mysql_store_real(\(value), \(name), \(row))"
        case .text, .json:
            let limit = type.length ?? textLimit(type.name)
            return "mysql_store_text(\(value), \(limit), \(type.name == "CHAR" ? 1 : 0), \(name), \(row))"
        case .binary:
            return "mysql_store_binary(\(value), \(type.length ?? textLimit(type.name)), \(type.name == "BINARY" ? 1 : 0), \(name), \(row))"
        case .enumeration:
            let members = type.members.map { quote.stringLiteral($0) }.joined(separator: ", ")
            return "mysql_store_enum(\(value), \(type.name == "SET" ? 1 : 0), \(name), \(row), \(members))"
        case .temporal:
            return "mysql_store_temporal(\(value), '\(type.name)', \(name), \(row))"
        case .bit:
            return "mysql_store_int(\(value), 0, \(type.length.map { $0 >= 63 ? Int64.max : (Int64(1) << $0) - 1 } ?? 1), \(name), \(row))"
        }
    }

    static func textLimit(_ typeName: String) -> Int {
        switch typeName {
        case "TINYTEXT", "TINYBLOB": 255
        case "TEXT", "BLOB": 65_535
        case "MEDIUMTEXT", "MEDIUMBLOB": 16_777_215
        case "CHAR", "BINARY": 1
        default: 4_294_967_295
        }
    }

    static func registerWriteConversions(on db: Connection) throws {
        try db.createFastFunction("mysql_store_int", argumentCount: 5) { (args: FunctionArguments) throws -> FunctionResult in
            let (low, high) = (args.int64(1), args.int64(2))
            // The common case first: an integer in range, passed through untouched.
            if args.type(0) == SQLITE_INTEGER {
                let v = args.int64(0)
                if v >= low && v <= high { return .argument(0) }
            }
            return .value(try storeInteger(args, low: low, high: high))
        }
        try db.createFastFunction("mysql_store_decimal", argumentCount: 5) { (args: FunctionArguments) throws -> FunctionResult in
            let value = args[0]
            let precision = Int(args.int64(1))
            let scale = Int(args.int64(2))
            func column() -> String { args[3].text ?? "?" }
            let row = Int(args.int64(4))
            var d: Double
            switch value {
            case .null: return .value(.null)
            case .integer(let v): d = Double(v)
            case .real(let v): d = v
            case .text, .blob:
                let text = MySQLNumbers.text(value) ?? ""
                let parsed = MySQLNumbers.prefix(text)
                guard parsed.sawDigits else { throw MySQLError.incorrectValue("decimal", text, column: column(), row: row) }
                guard parsed.complete else { throw MySQLError.truncated(column(), row: row) }
                d = parsed.number.double
            }
            var rounded = MySQLNumbers.round(d, scale: scale)
            if rounded == 0 { rounded = 0 }  // no negative zero
            let limit = pow10(precision - scale) - pow10(-scale) / 2
            guard abs(rounded) <= limit else { throw MySQLError.outOfRange(column(), row: row) }
            return .value(scale == 0 ? .integer(Int64(rounded)) : .real(rounded))
        }
        try db.createFunction("mysql_store_real", argumentCount: 3) { a in
            let column = a[1].text ?? "?"
            let row = Int(a[2].integer ?? 1)
            switch a[0] {
            case .null: return .null
            case .integer(let v): return .real(Double(v))
            case .real: return a[0]
            case .text, .blob:
                let text = MySQLNumbers.text(a[0]) ?? ""
                let parsed = MySQLNumbers.prefix(text)
                guard parsed.sawDigits && parsed.complete else { throw MySQLError.truncated(column, row: row) }
                return .real(parsed.number.double)
            }
        }
        try db.createFastFunction("mysql_store_text", argumentCount: 5) { (args: FunctionArguments) throws -> FunctionResult in
            let limit = Int(args.int64(1))
            // The common case: a text no longer than the column allows (in bytes, so surely in
            // characters), not a CHAR column: passed through untouched.
            if args.type(0) == SQLITE_TEXT && args.int64(2) == 0 && args.byteCount(0) <= limit { return .argument(0) }
            guard var text = MySQLNumbers.text(args[0]) else { return .value(.null) }
            if args.int64(2) == 1 { while text.hasSuffix(" ") { text.removeLast() } }  // CHAR drops trailing spaces
            // Most texts are short: their length in characters cannot exceed their bytes.
            if text.utf8.count > limit && text.count > limit {
                let column = args[3].text ?? "?"
                let row = Int(args.int64(4))
                // Strict mode refuses the value unless only spaces are cut.
                let kept = String(text.prefix(limit))
                guard text.dropFirst(limit).allSatisfy({ $0 == " " }) else { throw MySQLError.dataTooLong(column, row: row) }
                text = kept
            }
            return .value(.text(text))
        }
        try db.createFunction("mysql_store_binary", argumentCount: 5) { a in
            var bytes: [UInt8]
            switch a[0] {
            case .null: return .null
            case .blob(let b): bytes = b
            default: bytes = Array((MySQLNumbers.text(a[0]) ?? "").utf8)
            }
            let limit = Int(a[1].integer ?? Int64(Int32.max))
            guard bytes.count <= limit else { throw MySQLError.dataTooLong(a[3].text ?? "?", row: Int(a[4].integer ?? 1)) }
            if a[2].integer == 1 { bytes += [UInt8](repeating: 0, count: limit - bytes.count) }  // BINARY pads
            return .blob(bytes)
        }
        try db.createFunction("mysql_store_enum", argumentCount: -1) { a in
            guard a.count >= 4, let value = MySQLNumbers.text(a[0]) else { return .null }
            let isSet = a[1].integer == 1
            let column = a[2].text ?? "?"
            let row = Int(a[3].integer ?? 1)
            let members = a.dropFirst(4).compactMap(\.text)
            func member(_ word: String) -> String? {
                if let index = Int(word), index >= 1, index <= members.count { return members[index - 1] }
                return members.first { MySQLCollation.compare($0, word) == 0 }
            }
            if isSet {
                if value.isEmpty { return .text("") }
                var chosen: [String] = []
                for word in value.components(separatedByText: ",") {
                    guard let m = member(word) else { throw MySQLError.truncated(column, row: row) }
                    if !chosen.contains(m) { chosen.append(m) }
                }
                return .text(members.filter { chosen.contains($0) }.joined(separator: ","))
            }
            guard let m = member(value) else { throw MySQLError.truncated(column, row: row) }
            return .text(m)
        }
        try db.createFunction("mysql_store_temporal", argumentCount: 4) { a in
            guard let value = MySQLNumbers.text(a[0]) else { return .null }
            let kind = a[1].text ?? "DATETIME"
            guard let normalized = normalizeTemporal(value, kind: kind) else {
                let word = kind == "DATE" ? "date" : (kind == "TIME" ? "time" : "datetime")
                throw MySQLError(code: 1292, sqlState: "22007",
                                 message: "Incorrect \(word) value: '\(value)' for column '\(a[2].text ?? "?")' at row \(a[3].integer ?? 1)")
            }
            return .text(normalized)
        }
    }


    /// Converts a value that is not an in-range integer for an integer column, as strict MySQL.
    static func storeInteger(_ args: FunctionArguments, low: Int64, high: Int64) throws -> SQLiteValue {
        let value = args[0]
        let column = args[3].text ?? "?"
        let row = Int(args.int64(4))
        func check(_ v: Int64) throws -> SQLiteValue {
            guard v >= low && v <= high else { throw MySQLError.outOfRange(column, row: row) }
            return .integer(v)
        }
        func checkReal(_ d: Double) throws -> SQLiteValue {
            let r = MySQLNumbers.roundHalfAway(d)
            guard r >= Double(low) && r <= Double(high), abs(r) < 9.223372036854775807e18 else {
                throw MySQLError.outOfRange(column, row: row)
            }
            return try check(Int64(r))
        }
        switch value {
        case .null: return .null
        case .integer(let v): return try check(v)
        case .real(let d): return try checkReal(d)
        case .text, .blob:
            let text = MySQLNumbers.text(value) ?? ""
            let parsed = MySQLNumbers.prefix(text)
            guard parsed.sawDigits else { throw MySQLError.incorrectValue("integer", text, column: column, row: row) }
            guard parsed.complete else { throw MySQLError.truncated(column, row: row) }
            switch parsed.number {
            case .integer(let v): return try check(v)
            case .real(let d): return try checkReal(d)
            }
        }
    }

    /// Normalizes a date/time text (`2026-1-2 3:04:05`, `20260102`) to MySQL's form, or nil.
    static func normalizeTemporal(_ text: String, kind: String) -> String? {
        let trimmed = text.trimmingSpaces()
        if kind == "YEAR" { return Int(trimmed).map { String($0) } }
        if kind == "TIME" {
            let parts = trimmed.split(separator: ":").map { Int($0) }
            guard parts.count >= 2, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
            let p = parts.map { $0! } + (parts.count == 2 ? [0] : [])
            return two(p[0]) + ":" + two(p[1]) + ":" + two(p[2])
        }
        var date = trimmed
        var time = "00:00:00"
        if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "T" }) {
            date = String(trimmed[..<space])
            time = String(trimmed[trimmed.index(after: space)...])
        } else if trimmed.count == 8, trimmed.allSatisfy(\.isNumber) {
            date = String(trimmed.prefix(4)) + "-" + String(trimmed.dropFirst(4).prefix(2)) + "-" + String(trimmed.suffix(2))
        } else if trimmed.count == 14, trimmed.allSatisfy(\.isNumber) {
            let c = Array(trimmed)
            date = String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8])
            time = String(c[8..<10]) + ":" + String(c[10..<12]) + ":" + String(c[12..<14])
        }
        let d = date.split(separator: "-").map { Int($0) }
        let t = time.split(separator: ".").first.map { $0.split(separator: ":").map { Int($0) } } ?? []
        guard d.count == 3, d.allSatisfy({ $0 != nil }), t.count == 3, t.allSatisfy({ $0 != nil }) else { return nil }
        let (year, month, day) = (d[0]!, d[1]!, d[2]!)
        let (hour, minute, second) = (t[0]!, t[1]!, t[2]!)
        let valid = (year == 0 && month == 0 && day == 0) || (month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year))
        guard valid, hour < 24, minute < 60, second < 60, year >= 0, year <= 9999 else { return nil }
        let datePart = four(year) + "-" + two(month) + "-" + two(day)
        return kind == "DATE" ? datePart : datePart + " " + two(hour) + ":" + two(minute) + ":" + two(second)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
