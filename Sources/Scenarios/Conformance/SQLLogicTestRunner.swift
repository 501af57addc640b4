import Crypto
import SimCluster
import SQLSyntax

/// Something that runs SQL statements one at a time: one node, or a sharded cluster behind a
/// gateway.
public protocol SQLTarget: AnyObject {
    func execute(_ sql: String) -> Result<QueryResult, MySQLError>
}

/// How one record of a sqllogictest file ended.
public enum SQLLogicTestOutcome: String, Sendable, Codable {
    case passed
    /// Rows differ from the expected ones, or a statement succeeded that must fail.
    case wrong
    /// Refused with a clear error naming what is not supported.
    case unsupported
    /// Failed with another error where the file expects success.
    case error
    case skipped
}

/// A failed record, for the report.
public struct SQLLogicTestFailure: Sendable, Codable {
    public let file: String
    public let line: Int
    public let outcome: SQLLogicTestOutcome
    public let sql: String
    public let detail: String
}

/// Totals of a run.
public struct SQLLogicTestTally: Sendable, Codable {
    public var passed = 0, wrong = 0, unsupported = 0, error = 0, skipped = 0
    public var failures: [SQLLogicTestFailure] = []

    public init() {}

    public var failed: Int { wrong + unsupported + error }
    public var executed: Int { passed + failed }

    mutating func add(_ outcome: SQLLogicTestOutcome) {
        switch outcome {
        case .passed: passed += 1
        case .wrong: wrong += 1
        case .unsupported: unsupported += 1
        case .error: error += 1
        case .skipped: skipped += 1
        }
    }

    public mutating func merge(_ other: SQLLogicTestTally) {
        passed += other.passed
        wrong += other.wrong
        unsupported += other.unsupported
        error += other.error
        skipped += other.skipped
        failures += other.failures
    }
}

/// Runs sqllogictest records against a target as the engine `mysql`: `onlyif mysql` records
/// run, `skipif mysql` ones are skipped; results are formatted by the record's column types
/// (I, R as `%.3f`, T with `(empty)`), sorted by its sort mode, and compared value by value or
/// by the MD5 of the values past the hash threshold.
public struct SQLLogicTestRunner {
    public static let engine = "mysql"
    /// How many failures of each kind are kept for the report, per file.
    public var keptFailures = 50
    /// Called around each executed record (`true` before, `false` after), e.g. to time it.
    public var observe: ((SQLLogicTestFile.Record, Bool) -> Void)?

    public init() {}

    public func run(_ file: SQLLogicTestFile, on target: any SQLTarget) -> SQLLogicTestTally {
        var tally = SQLLogicTestTally()
        var threshold = 0
        for record in file.records {
            guard record.applies(to: Self.engine) else {
                if case .statement = record.kind { tally.add(.skipped) } else if case .query = record.kind { tally.add(.skipped) }
                continue
            }
            let (outcome, detail): (SQLLogicTestOutcome, String)
            observe?(record, true)
            defer { observe?(record, false) }
            switch record.kind {
            case .halt:
                return tally
            case .hashThreshold(let n):
                threshold = n
                continue
            case .statement(let expectsError):
                switch target.execute(record.sql) {
                case .success:
                    (outcome, detail) = expectsError ? (.wrong, "succeeded; an error was expected") : (.passed, "")
                case .failure(let error):
                    (outcome, detail) = expectsError ? (.passed, "") : (error.isUnsupported ? .unsupported : .error, error.description)
                }
            case .query(let types, let sortMode, _):
                switch target.execute(record.sql) {
                case .failure(let error):
                    (outcome, detail) = (error.isUnsupported ? .unsupported : .error, error.description)
                case .success(let result):
                    (outcome, detail) = Self.compare(result, types: types, sortMode: sortMode, threshold: threshold, expected: record.expected)
                }
            }
            tally.add(outcome)
            if outcome != .passed && tally.failures.filter({ $0.outcome == outcome }).count < keptFailures {
                tally.failures.append(SQLLogicTestFailure(file: file.path, line: record.line, outcome: outcome, sql: record.sql, detail: detail))
            }
        }
        return tally
    }

    static func compare(_ result: QueryResult, types: String, sortMode: SQLLogicTestFile.Record.SortMode, threshold: Int,
                        expected: [String]) -> (SQLLogicTestOutcome, String) {
        let typeCodes = Array(types)
        if let width = result.rows.first?.count, width != typeCodes.count {
            return (.wrong, "\(width) columns, the record expects \(typeCodes.count)")
        }
        var rows = result.rows.map { row in row.enumerated().map { format($0.element, as: typeCodes[$0.offset]) } }
        var values: [String]
        switch sortMode {
        case .noSort:
            values = rows.flatMap { $0 }
        case .rowSort:
            rows.sort { a, b in a.lexicographicallyPrecedes(b) { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
            values = rows.flatMap { $0 }
        case .valueSort:
            values = rows.flatMap { $0 }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        if expected.count == 1, let hashed = Self.hashLine(expected[0]) {
            let actual = "\(values.count) values hashing to \(md5(values))"
            return actual == "\(hashed.count) values hashing to \(hashed.hash)" ? (.passed, "") : (.wrong, "got \(actual)")
        }
        if threshold > 0 && values.count > threshold {
            return (.wrong, "got \(values.count) values hashing to \(md5(values)); expected \(expected.count) lines")
        }
        if values == expected { return (.passed, "") }
        // Some files write a row's values on one line.
        if expected.count == rows.count && rows.map({ $0.joined(separator: " ") }) == expected { return (.passed, "") }
        return (.wrong, "got [" + values.prefix(12).joined(separator: ", ") + (values.count > 12 ? ", ..." : "") + "]")
    }

    /// `N values hashing to H`.
    static func hashLine(_ line: String) -> (count: Int, hash: String)? {
        let words = line.split(separator: " ")
        guard words.count == 5, words[1] == "values", words[2] == "hashing", words[3] == "to", let n = Int(words[0]) else { return nil }
        return (n, String(words[4]))
    }

    /// MD5 over each value followed by a newline, as sqllogictest hashes results.
    static func md5(_ values: [String]) -> String {
        var md5 = Insecure.MD5()
        for v in values {
            md5.update(data: Array(v.utf8))
            md5.update(data: [0x0A])
        }
        return md5.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// A value as sqllogictest prints a column of type `code`.
    static func format(_ value: SQLValue, as code: Character) -> String {
        if value.isNull { return "NULL" }
        switch code {
        case "I":
            switch value {
            case .integer(let v): return String(v)
            case .real(let d): return d.isFinite && abs(d) < 9.2e18 ? String(Int64(d)) : "0"
            default:
                let text = value.description
                var digits = ""
                for (i, c) in text.enumerated() {
                    if c.isNumber || (i == 0 && (c == "-" || c == "+")) { digits.append(c) } else { break }
                }
                return String(Int64(digits) ?? 0)
            }
        case "R":
            let d: Double
            switch value {
            case .integer(let v): d = Double(v)
            case .real(let r): d = r
            default: d = Double(value.description.trimmingCharacters(in: " ")) ?? 0
            }
            return formatReal(d)
        default:
            let text = value.description
            if text.isEmpty { return "(empty)" }
            return String(text.unicodeScalars.map { $0.value < 0x20 || $0.value > 0x7E ? "@" : Character($0) })
        }
    }

    /// `%.3f`, without Foundation.
    static func formatReal(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d < 0 ? "-inf" : "inf") }
        let scaled = (abs(d) * 1000).rounded(.toNearestOrEven)
        guard scaled < 9.2e18 else { return String(format3Big: d) }
        let n = Int64(scaled)
        let sign = d < 0 && n != 0 ? "-" : ""
        let fraction = String(n % 1000)
        return sign + String(n / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension String {
    fileprivate init(format3Big d: Double) { self = "\(d)" }

    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
