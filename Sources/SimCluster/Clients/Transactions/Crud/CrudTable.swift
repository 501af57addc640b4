import SimCore
import SQLSyntax

/// A table the random CRUD workload writes and reads, as its CREATE TABLE and VSchema describe
/// it: the columns it can make values for, the primary key, and the vindex columns, which it
/// never updates (Vitess would have to move the row to another shard).
public struct CrudTable: Sendable, Equatable {
    /// The values a column takes.
    public enum Values: Sendable, Equatable {
        case integer(ClosedRange<Int64>)
        /// Text up to a length (short words, so that values repeat).
        case text(maxLength: Int)
        /// Whole numbers in a DECIMAL or floating column (exact in every engine).
        case number(ClosedRange<Int64>)
        case date
        case members([String])
    }

    /// A column the workload writes.
    public struct Column: Sendable, Equatable {
        public let name: String
        public let values: Values
        public let nullable: Bool
    }

    public let name: String
    /// Every column, primary key first, in the table's order otherwise.
    public let columns: [Column]
    public let primaryKey: [String]
    /// Columns of the table's vindexes (never updated).
    public let vindexColumns: [String]
    /// Primary vindex columns outside the primary key, which inserts set to the first key
    /// column's value: a row's shard then follows its key, so each key lives on one shard and
    /// stays unique (Vitess checks uniqueness per shard only).
    public let keyFollowers: [String]

    /// Why a table cannot take part.
    public struct Unsupported: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The workload's view of `definition`; throws when the table has no primary key, an
    /// AUTO_INCREMENT column outside it (the cluster and a standalone database would number rows
    /// differently), or a NOT NULL column without default whose type it cannot make values for.
    public init(definition: CreateTableStatement, vindexColumns: [String], primaryVindexColumns: [String] = []) throws(Unsupported) {
        let table = definition.table.name
        let inline = definition.columns.filter(\.primaryKey).map(\.name)
        let key = (definition.primaryKey.isEmpty ? inline : definition.primaryKey).map { $0.lowercased() }
        guard !key.isEmpty else { throw Unsupported(description: "table '\(table)' has no primary key") }
        var columns: [Column] = []
        for column in definition.columns {
            let name = column.name.lowercased()
            let inKey = key.contains(name)
            if column.autoIncrement && !inKey {
                throw Unsupported(description: "table '\(table)' numbers column '\(column.name)' with AUTO_INCREMENT outside its primary key")
            }
            guard let values = Self.values(of: column.type, inKey: inKey) else {
                if inKey { throw Unsupported(description: "table '\(table)': the workload cannot make key values of type \(column.type)") }
                if column.nullable == false && column.defaultValue == nil {
                    throw Unsupported(description: "table '\(table)': NOT NULL column '\(column.name)' has type \(column.type), which the workload cannot make values for")
                }
                continue
            }
            columns.append(Column(name: name, values: values, nullable: !inKey && column.nullable != false))
        }
        name = table
        self.columns = columns.filter { key.contains($0.name) }.sorted { key.firstIndex(of: $0.name)! < key.firstIndex(of: $1.name)! }
            + columns.filter { !key.contains($0.name) }
        primaryKey = key
        self.vindexColumns = vindexColumns.map { $0.lowercased() }
        let integer: (String) -> Bool = { name in
            if case .integer? = columns.first(where: { $0.name == name })?.values { true } else { false }
        }
        let outside = primaryVindexColumns.map { $0.lowercased() }.filter { !key.contains($0) }
        keyFollowers = integer(key[0]) && outside.allSatisfy(integer) ? outside : []
    }

    static func values(of type: SQLType, inKey: Bool) -> Values? {
        switch type.family {
        case .integer:
            let range = type.integerRange ?? 0...Int64.max
            return .integer(max(range.lowerBound, -50)...min(range.upperBound, 100))
        case .text:
            let length = type.length ?? 16
            return length >= 1 ? .text(maxLength: length) : nil
        case .decimal:
            let digits = (type.length ?? 10) - (type.scale ?? 0)
            return digits >= 3 ? .number(-99...99) : nil
        case .float:
            return inKey ? nil : .number(-99...99)
        case .temporal:
            return type.name == "DATE" && !inKey ? .date : nil
        case .enumeration:
            return type.name == "ENUM" && !type.members.isEmpty ? .members(type.members) : nil
        case .binary, .bit, .json:
            return nil
        }
    }

    /// Columns an UPDATE may set: neither key nor vindex columns.
    public var updatable: [Column] { columns.filter { !primaryKey.contains($0.name) && !vindexColumns.contains($0.name) } }

    /// The key columns.
    public var keyColumns: [Column] { Array(columns.prefix(primaryKey.count)) }

    /// A literal for `column`: key columns draw from `1...keys` (the first) or `1...2` (the
    /// rest), so that statements meet the same rows; others from a small set, NULL sometimes.
    func literal(_ column: Column, keys: Int, random: inout RandomStream) -> String {
        if column.nullable && random.chance(0.1) { return "NULL" }
        let isKey = primaryKey.contains(column.name)
        let first = column.name == primaryKey.first
        switch column.values {
        case .integer(let range):
            if isKey { return String(random.int(in: 1...min(range.upperBound, Int64(first ? keys : 2)))) }
            return String(random.int(in: max(range.lowerBound, -20)...min(range.upperBound, 40)))
        case .text(let maxLength):
            if isKey { return "'" + String("k\(random.int(in: 1...Int64(first ? keys : 2)))".prefix(maxLength)) + "'" }
            let word = random.element(of: ["a", "b", "ab", "xyz", "Zed", "hello", "9", ""])!
            return "'" + String(word.prefix(maxLength)) + "'"
        case .number(let range):
            return String(random.int(in: range))
        case .date:
            return "'2026-0\(random.int(in: 1...9 as ClosedRange<Int64>))-1\(random.int(in: 0...9 as ClosedRange<Int64>))'"
        case .members(let members):
            return "'" + random.element(of: members)!.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    /// `k1 = 3 AND k2 = 1`: one row by its primary key.
    func keyPredicate(keys: Int, random: inout RandomStream) -> String {
        keyColumns.map { "\($0.name) = \(literal($0, keys: keys, random: &random))" }.joined(separator: " AND ")
    }

    /// `k1 BETWEEN 2 AND 5` on the first key column (an integer), or nil.
    func rangePredicate(keys: Int, random: inout RandomStream) -> String? {
        guard let first = keyColumns.first, case .integer = first.values else { return nil }
        let a = random.int(in: 1...Int64(keys))
        let b = min(Int64(keys), a + random.int(in: 0...3))
        return "\(first.name) BETWEEN \(a) AND \(b)"
    }

    /// A new value for `column` in an UPDATE: a literal, or for numbers an increment of the old.
    func assignment(_ column: Column, keys: Int, random: inout RandomStream) -> String {
        let numeric = switch column.values {
        case .integer, .number: true
        case .text, .date, .members: false
        }
        if numeric && random.chance(0.5) { return "\(column.name) = \(column.name) + \(random.int(in: 1...3 as ClosedRange<Int64>))" }
        return "\(column.name) = \(literal(column, keys: keys, random: &random))"
    }
}
