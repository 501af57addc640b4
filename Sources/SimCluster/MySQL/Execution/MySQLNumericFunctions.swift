import SQLiteKit

extension MySQLFunctions {
    /// MySQL numeric functions whose SQLite namesakes differ.
    static func registerNumericFunctions(on db: Connection) throws {
        try db.createFunction("mysql_round", argumentCount: -1) { a in
            guard let x = MySQLNumbers.number(a[0]) else { return .null }
            var scale = 0
            if a.count > 1 {
                guard let s = MySQLNumbers.number(a[1]) else { return .null }
                scale = Int(max(-30, min(30, s.double)))
            }
            if case .integer(let i) = x, scale >= 0 { return .integer(i) }
            let r = MySQLNumbers.round(x.double, scale: scale)
            if case .integer = x, abs(r) < 9.2e18 { return .integer(Int64(r)) }
            return .real(r)
        }
        try db.createFunction("mysql_truncate", argumentCount: 2) { a in
            guard let x = MySQLNumbers.number(a[0]), let s = MySQLNumbers.number(a[1]) else { return .null }
            let scale = Int(max(-30, min(30, s.double)))
            if case .integer(let i) = x, scale >= 0 { return .integer(i) }
            let factor = pow10(scale)
            let r = (x.double * factor).rounded(.towardZero) / factor
            if case .integer = x { return .integer(Int64(r)) }
            return .real(r)
        }
        try db.createFunction("mysql_sign", argumentCount: 1) { a in
            guard let x = MySQLNumbers.number(a[0]) else { return .null }
            return .integer(x.double > 0 ? 1 : (x.double < 0 ? -1 : 0))
        }
        try db.createFunction("mysql_abs", argumentCount: 1) { a in
            guard let x = MySQLNumbers.number(a[0]) else { return .null }
            switch x {
            case .integer(let i):
                if i == Int64.min { throw MySQLError.outOfRangeValue }
                return .integer(abs(i))
            case .real(let d): return .real(abs(d))
            }
        }
        for (name, up) in [("mysql_ceil", true), ("mysql_floor", false)] {
            try db.createFunction(name, argumentCount: 1) { a in
                guard let x = MySQLNumbers.number(a[0]) else { return .null }
                switch x {
                case .integer(let i): return .integer(i)
                case .real(let d):
                    let r = up ? d.rounded(.up) : d.rounded(.down)
                    return abs(r) < 9.2e18 ? .integer(Int64(r)) : .real(r)
                }
            }
        }
        try db.createFunction("mysql_log", argumentCount: -1) { a in
            if a.count == 2 {
                guard let base = MySQLNumbers.number(a[0])?.double, let x = MySQLNumbers.number(a[1])?.double,
                      base > 0, base != 1, x > 0 else { return .null }
                return .real(log(x) / log(base))
            }
            guard let x = MySQLNumbers.number(a[0])?.double, x > 0 else { return .null }
            return .real(log(x))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
