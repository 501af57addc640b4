import SimCore
import SQLSyntax
import SQLiteKit

/// What MySQL functions read from the statement being run: the virtual clock, the node's seeded
/// random stream, the session's last insert id and database.
final class MySQLFunctionContext {
    var now: SimTime = .zero
    var random: RandomStream
    var lastInsertID: Int64 = 0
    /// Set by LAST_INSERT_ID(expr) during a statement; the session takes it after.
    var assignedInsertID: Int64?
    var database = ""

    init(random: RandomStream) { self.random = random }

    /// Seconds since the Unix epoch: virtual time zero is 2026-01-01 00:00:00 UTC.
    var unixSeconds: Int64 { 1_767_225_600 + now.nanoseconds / 1_000_000_000 }
}

/// Registers MySQL's functions (and the helpers the SQLite dialect calls) on a connection.
enum MySQLFunctions {
    typealias Args = [SQLiteValue]

    static func register(on db: Connection, context: MySQLFunctionContext) throws {
        try db.createCollation(SQLiteHelpers.collation, bytes: { MySQLCollation.compare(bytes: $0, $1) })

        // Arithmetic and logic the SQLite dialect delegates.
        try db.createFunction(SQLiteHelpers.integerDivide, argumentCount: 2) { a in try integerDivide(a[0], a[1]) }
        try db.createFunction(SQLiteHelpers.modulo, argumentCount: 2) { a in modulo(a[0], a[1]) }
        try db.createFunction(SQLiteHelpers.logicalXor, argumentCount: 2) { a in
            guard let x = MySQLNumbers.truth(a[0]), let y = MySQLNumbers.truth(a[1]) else { return .null }
            return .integer(x != y ? 1 : 0)
        }
        try db.createFunction(SQLiteHelpers.bitXor, argumentCount: 2) { a in bits(a[0], a[1]) { $0 ^ $1 } }
        try db.createFunction(SQLiteHelpers.bitAnd, argumentCount: 2) { a in bits(a[0], a[1]) { $0 & $1 } }
        try db.createFunction(SQLiteHelpers.bitOr, argumentCount: 2) { a in bits(a[0], a[1]) { $0 | $1 } }
        try db.createFunction(SQLiteHelpers.shiftLeft, argumentCount: 2) { a in bits(a[0], a[1]) { $1 >= 64 ? 0 : $0 << $1 } }
        try db.createFunction(SQLiteHelpers.shiftRight, argumentCount: 2) { a in bits(a[0], a[1]) { $1 >= 64 ? 0 : $0 >> $1 } }
        try db.createFunction(SQLiteHelpers.bitNot, argumentCount: 1) { a in
            guard let x = unsigned(a[0]) else { return .null }
            return unsignedValue(~x)
        }

        // Casts.
        try db.createFunction(SQLiteHelpers.castSigned, argumentCount: 1) { a in castSigned(a[0]) }
        try db.createFunction(SQLiteHelpers.castUnsigned, argumentCount: 1) { a in
            guard let x = unsigned(a[0]) else { return .null }
            return unsignedValue(x)
        }
        try db.createFunction(SQLiteHelpers.castDecimal, argumentCount: 3) { a in
            guard let x = MySQLNumbers.number(a[0]) else { return .null }
            let precision = Int(a[1].integer ?? 10)
            let scale = Int(a[2].integer ?? 0)
            var d = MySQLNumbers.round(x.double, scale: scale)
            var limit = 1.0
            for _ in 0..<max(0, precision - scale) { limit *= 10 }
            limit -= pow10(-scale)
            if d > limit { d = limit } else if d < -limit { d = -limit }
            return scale == 0 && abs(d) < 9.2e18 ? .integer(Int64(d)) : .real(d)
        }
        try db.createFunction(SQLiteHelpers.castChar, argumentCount: -1) { a in
            guard var text = MySQLNumbers.text(a[0]) else { return .null }
            if a.count > 1, let n = a[1].integer, text.count > n { text = String(text.prefix(Int(n))) }
            return .text(text)
        }

        // Time, randomness, session state.
        try db.createFunction("mysql_now", argumentCount: -1, deterministic: false) { _ in .text(dateTime(context.unixSeconds)) }
        try db.createFunction("mysql_curdate", argumentCount: 0, deterministic: false) { _ in .text(String(dateTime(context.unixSeconds).prefix(10))) }
        try db.createFunction("mysql_curtime", argumentCount: -1, deterministic: false) { _ in .text(String(dateTime(context.unixSeconds).suffix(8))) }
        try db.createFunction("mysql_unix_timestamp", argumentCount: -1, deterministic: false) { a in
            a.isEmpty ? .integer(context.unixSeconds) : .null
        }
        try db.createFunction("mysql_rand", argumentCount: -1, deterministic: false) { a in
            if let seed = a.first?.integer {
                var seeded = RandomStream(rootSeed: UInt64(bitPattern: seed), label: "rand")
                return .real(seeded.unitDouble())
            }
            return .real(context.random.unitDouble())
        }
        try db.createFunction("mysql_last_insert_id", argumentCount: -1, deterministic: false) { a in
            if let value = a.first {
                let id = MySQLNumbers.number(value).map { Int64(MySQLNumbers.roundHalfAway($0.double)) } ?? 0
                context.assignedInsertID = id
                return value.isNull ? .null : .integer(id)
            }
            return .integer(context.lastInsertID)
        }
        try db.createFunction("mysql_database", argumentCount: 0, deterministic: false) { _ in
            context.database.isEmpty ? .null : .text(context.database)
        }

        try registerStringFunctions(on: db)
        try registerNumericFunctions(on: db)
        try registerWriteConversions(on: db)
    }

    // MARK: Arithmetic

    static func integerDivide(_ a: SQLiteValue, _ b: SQLiteValue) throws -> SQLiteValue {
        guard let x = MySQLNumbers.number(a), let y = MySQLNumbers.number(b) else { return .null }
        if case .integer(let i) = x, case .integer(let j) = y {
            if j == 0 { return .null }
            if i == Int64.min && j == -1 { throw MySQLError.outOfRangeValue }
            return .integer(i / j)
        }
        let d = y.double
        if d == 0 { return .null }
        let q = (x.double / d).rounded(.towardZero)
        guard abs(q) < 9.2e18 else { throw MySQLError.outOfRangeValue }
        return .integer(Int64(q))
    }

    static func modulo(_ a: SQLiteValue, _ b: SQLiteValue) -> SQLiteValue {
        guard let x = MySQLNumbers.number(a), let y = MySQLNumbers.number(b) else { return .null }
        if case .integer(let i) = x, case .integer(let j) = y {
            if j == 0 { return .null }
            if j == -1 { return .integer(0) }
            return .integer(i % j)
        }
        let d = y.double
        if d == 0 { return .null }
        return .real(x.double.truncatingRemainder(dividingBy: d))
    }

    /// MySQL's bit operations work on unsigned 64-bit integers.
    static func unsigned(_ value: SQLiteValue) -> UInt64? {
        guard let n = MySQLNumbers.number(value) else { return nil }
        switch n {
        case .integer(let i): return UInt64(bitPattern: i)
        case .real(let d):
            let r = MySQLNumbers.roundHalfAway(d)
            if r < 0 { return UInt64(bitPattern: Int64(max(r, -9.2e18))) }
            return r >= 1.8446744073709552e19 ? UInt64.max : UInt64(r)
        }
    }

    static func unsignedValue(_ x: UInt64) -> SQLiteValue {
        x <= UInt64(Int64.max) ? .integer(Int64(x)) : .real(Double(x))
    }

    static func bits(_ a: SQLiteValue, _ b: SQLiteValue, _ op: (UInt64, UInt64) -> UInt64) -> SQLiteValue {
        guard let x = unsigned(a), let y = unsigned(b) else { return .null }
        return unsignedValue(op(x, y))
    }

    static func castSigned(_ value: SQLiteValue) -> SQLiteValue {
        switch value {
        case .null: return .null
        case .integer: return value
        case .real(let d):
            let r = MySQLNumbers.roundHalfAway(d)
            if r >= 9.223372036854775807e18 { return .integer(Int64.max) }
            if r <= -9.223372036854775808e18 { return .integer(Int64.min) }
            return .integer(Int64(r))
        case .text, .blob:
            // Strings convert by their integer prefix ('1.9' is 1).
            let text = MySQLNumbers.text(value) ?? ""
            switch MySQLNumbers.prefix(text).number {
            case .integer(let i): return .integer(i)
            case .real(let d): return .integer(Int64(max(min(d.rounded(.towardZero), 9.2e18), -9.2e18)))
            }
        }
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r
    }

    /// `YYYY-MM-DD HH:MM:SS` for seconds since the Unix epoch (proleptic Gregorian, UTC).
    static func dateTime(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from day count (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
    }
}
