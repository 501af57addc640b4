/// A sqllogictest file, read into records (format: SQLite's sqllogictest `about.wiki`).
public struct SQLLogicTestFile: Sendable {
    /// One record of the file.
    public struct Record: Sendable {
        public enum Kind: Sendable, Equatable {
            /// `statement ok` / `statement error`.
            case statement(expectsError: Bool)
            /// `query TYPES [SORTMODE] [LABEL]`.
            case query(types: String, sortMode: SortMode, label: String?)
            /// `hash-threshold N`.
            case hashThreshold(Int)
            /// `halt`: stop reading the file here.
            case halt
        }

        public enum SortMode: String, Sendable, Equatable { case noSort = "nosort", rowSort = "rowsort", valueSort = "valuesort" }

        public let kind: Kind
        public let sql: String
        /// The expected result lines after `----` (values, or `N values hashing to MD5`).
        public let expected: [String]
        /// `skipif ENGINE` / `onlyif ENGINE` conditions, in order.
        public let conditions: [(onlyIf: Bool, engine: String)]
        /// 1-based line of the record's first line.
        public let line: Int

        /// Whether an engine called `engine` runs this record.
        public func applies(to engine: String) -> Bool {
            for condition in conditions {
                if condition.onlyIf && condition.engine != engine { return false }
                if !condition.onlyIf && condition.engine == engine { return false }
            }
            return true
        }
    }

    public let path: String
    public let records: [Record]

    /// Reads `text` (the contents of `path`).
    public init(path: String, text: String) throws {
        self.path = path
        var records: [Record] = []
        // "\r\n" is one Character in Swift: split on every kind of line end.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var i = 0
        var conditions: [(onlyIf: Bool, engine: String)] = []
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                if trimmed.isEmpty { conditions = [] }
                i += 1
                continue
            }
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let start = i + 1
            switch words[0] {
            case "skipif", "onlyif":
                guard words.count >= 2 else { throw ScenarioError(at: SourceLocation(file: path, line: start, column: 1), "\(words[0]) needs an engine name") }
                conditions.append((words[0] == "onlyif", words[1]))
                i += 1
            case "hash-threshold":
                guard words.count >= 2, let n = Int(words[1]) else {
                    throw ScenarioError(at: SourceLocation(file: path, line: start, column: 1), "hash-threshold needs a number")
                }
                records.append(Record(kind: .hashThreshold(n), sql: "", expected: [], conditions: conditions, line: start))
                conditions = []
                i += 1
            case "halt":
                records.append(Record(kind: .halt, sql: "", expected: [], conditions: conditions, line: start))
                conditions = []
                i += 1
            case "statement", "query":
                i += 1
                var sqlLines: [Substring] = []
                while i < lines.count && !lines[i].trimmingWhitespace().isEmpty && lines[i] != "----" {
                    sqlLines.append(lines[i])
                    i += 1
                }
                var expected: [String] = []
                if i < lines.count && lines[i] == "----" {
                    i += 1
                    while i < lines.count && !lines[i].trimmingWhitespace().isEmpty {
                        expected.append(String(lines[i]))
                        i += 1
                    }
                }
                let sql = sqlLines.joined(separator: "\n")
                let kind: Record.Kind
                if words[0] == "statement" {
                    guard words.count >= 2, words[1] == "ok" || words[1] == "error" else {
                        throw ScenarioError(at: SourceLocation(file: path, line: start, column: 11), "expected 'statement ok' or 'statement error'")
                    }
                    kind = .statement(expectsError: words[1] == "error")
                } else {
                    guard words.count >= 2 else { throw ScenarioError(at: SourceLocation(file: path, line: start, column: 7), "query needs its column types") }
                    var sortMode = Record.SortMode.noSort
                    var label: String?
                    if words.count >= 3 {
                        guard let mode = Record.SortMode(rawValue: words[2]) else {
                            throw ScenarioError(at: SourceLocation(file: path, line: start, column: 1), "unknown sort mode '\(words[2])'")
                        }
                        sortMode = mode
                    }
                    if words.count >= 4 { label = words[3] }
                    kind = .query(types: words[1], sortMode: sortMode, label: label)
                }
                records.append(Record(kind: kind, sql: sql, expected: expected, conditions: conditions, line: start))
                conditions = []
            default:
                throw ScenarioError(at: SourceLocation(file: path, line: start, column: 1), "unknown record '\(words[0])'")
            }
        }
        self.records = records
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
