import SQLiteKit
import SQLSyntax

/// The key value MySQL's duplicate-key error names (`Duplicate entry '5' for key 't.PRIMARY'`,
/// parts of a composite key joined by `-`). SQLite's constraint error names only the columns, so
/// for an INSERT ... VALUES of literal or bound keys the node looks for the first row whose key is
/// already in the table or earlier in the same statement, as MySQL inserts row by row; for an
/// UPDATE that sets the whole key to literal or bound values, it is those values. Other
/// statements, and keys given by expressions, defaults or AUTO_INCREMENT, keep an empty value.
enum DuplicateEntryValue {
    /// The value for the unique key over `keyColumns` of `table`, which `statement` violated;
    /// `db` is as it was before the statement (SQLite undid it).
    static func find(_ statement: SQLStatement, bindings: [SQLValue], table: TableSchema, keyColumns: [Int],
                     binary: [Bool], on db: Connection) -> String? {
        switch statement {
        case .insert(let insert): find(insert, bindings: bindings, table: table, keyColumns: keyColumns, binary: binary, on: db)
        case .update(let update): find(update, bindings: bindings, table: table, keyColumns: keyColumns)
        default: nil
        }
    }

    /// An UPDATE's new key: whichever rows collided, they collided on it.
    static func find(_ update: UpdateStatement, bindings: [SQLValue], table: TableSchema, keyColumns: [Int]) -> String? {
        var values: [SQLiteValue] = []
        for column in keyColumns {
            let name = table.columns[column].name
            // Assignments run left to right: the last one to a column is what it holds.
            guard let assignment = update.assignments.last(where: { $0.column.name.caseInsensitiveEquals(name) }),
                  let given = AbsentKeyLocks.literal(assignment.value, bindings),
                  let stored = stored(given, as: table.columns[column].type) else { return nil }
            values.append(stored)
        }
        return values.isEmpty ? nil : printed(values)
    }

    static func find(_ insert: InsertStatement, bindings: [SQLValue], table: TableSchema, keyColumns: [Int],
                     binary: [Bool], on db: Connection) -> String? {
        guard !insert.replace, !insert.ignore, insert.onDuplicateKeyUpdate.isEmpty, case .values(let rows) = insert.source,
              !keyColumns.isEmpty else { return nil }
        var positions: [Int] = []
        for column in keyColumns {
            let name = table.columns[column].name
            guard let position = insert.columns.isEmpty ? column : insert.columns.firstIndex(where: { $0.caseInsensitiveEquals(name) })
            else { return nil }
            positions.append(position)
        }
        let p = SQLPrinter(dialect: .sqlite)
        let condition = keyColumns.enumerated().map { "\(p.identifier(table.columns[$1].name)) = ?\($0 + 1)" }.joined(separator: " AND ")
        let probe: Statement
        do { probe = try db.prepare("SELECT 1 FROM \(p.identifier(table.name)) WHERE \(condition) LIMIT 1") } catch { return nil }
        defer { probe.reset() }
        var earlier = Set<[String]>()
        rows: for row in rows {
            var values: [SQLiteValue] = []
            for (i, position) in positions.enumerated() {
                guard position < row.count, let given = AbsentKeyLocks.literal(row[position], bindings) else { return nil }
                guard let stored = stored(given, as: table.columns[keyColumns[i]].type) else {
                    if given.isNull { continue rows }  // NULLs never collide
                    return nil
                }
                values.append(stored)
            }
            // Compared as the key compares: integers by value, text by collation unless binary.
            let key = values.enumerated().map { i, v in
                if case .text(let s) = v { return binary[i] ? "s" + s : "s" + MySQLCollation.foldedText(s) }
                return "n\(v)"
            }
            if earlier.contains(key) { return printed(values) }
            earlier.insert(key)
            do {
                probe.reset()
                for (i, v) in values.enumerated() { try probe.bind(v, at: Int32(i + 1)) }
                if try probe.step() { return printed(values) }
            } catch {
                return nil
            }
        }
        return nil
    }

    /// `value` as a column of `type` stores it, for the families whose conversion is plain.
    static func stored(_ value: SQLValue, as type: SQLType) -> SQLiteValue? {
        switch (type.family, value) {
        case (.integer, .integer(let v)): .integer(v)
        case (.integer, .text(let t)): Int64(Substring(t).trimmingCharacters(in: " ")).map { .integer($0) }
        case (.text, .text(let s)): .text(s)
        case (.text, .integer(let v)): .text(String(v))
        default: nil
        }
    }

    static func printed(_ values: [SQLiteValue]) -> String {
        let text = values.map { v -> String in
            switch v {
            case .integer(let n): String(n)
            case .text(let s): s
            default: ""
            }
        }.joined(separator: "-")
        // MySQL prints at most 192 characters of the value.
        return String(text.prefix(192))
    }
}
