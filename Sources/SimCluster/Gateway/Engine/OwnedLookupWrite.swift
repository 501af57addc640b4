import SQLSyntax

/// An UPDATE or DELETE of a table that owns lookup vindexes (Vitess's DML with owned vindexes):
/// the rows it will change are read first with `FOR UPDATE` (their primary vindex value and the
/// owned columns), their lookup rows are deleted, an UPDATE inserts the lookup rows of the new
/// values, and then the write itself runs.
public final class OwnedLookupWrite: Primitive {
    /// An owned lookup vindex and, for an UPDATE that sets its column, the new value.
    public struct Owned {
        public var lookup: LookupVindex
        public var newValue: SQLExpression?

        public init(lookup: LookupVindex, newValue: SQLExpression?) {
            self.lookup = lookup
            self.newValue = newValue
        }
    }

    /// Reads `primary column, owned columns...` of the rows the write changes.
    public let select: any Primitive
    public let owned: [Owned]
    /// The owner's primary vindex, which turns a primary value into its keyspace id.
    public let primary: FunctionalVindex
    public let write: any Primitive

    public init(select: any Primitive, owned: [Owned], primary: FunctionalVindex, write: any Primitive) {
        self.select = select
        self.owned = owned
        self.primary = primary
        self.write = write
    }

    public var operatorType: String { "OwnedLookupWrite" }
    public var details: String { owned.map(\.lookup.name).joined(separator: ", ") }
    public var inputs: [any Primitive] { [select, write] }

    public func execute(_ cursor: any VCursor, _ bindVariables: BindVariables, _ done: @escaping Completion) {
        select.execute(cursor, bindVariables) { [self] result in
            let steps: [any Primitive]
            do throws(MySQLError) { steps = try lookupChanges(try result.get().rows, cursor, bindVariables) + [write] } catch {
                done(.failure(error))
                return
            }
            var last = QueryResult()
            SequentialSteps.run(steps.count, step: { i, next in
                steps[i].execute(cursor, bindVariables) { outcome in
                    switch outcome {
                    case .failure:
                        done(outcome)
                        next(false)
                    case .success(let r):
                        last = r
                        next(true)
                    }
                }
            }, finished: { done(.success(last)) })
        }
    }

    /// The lookup deletes (and inserts) the rows ask for.
    func lookupChanges(_ rows: [[SQLValue]], _ cursor: any VCursor, _ bindVariables: BindVariables) throws(MySQLError) -> [any Primitive] {
        var steps: [any Primitive] = []
        for (i, entry) in owned.enumerated() {
            var inserts: [(from: SQLValue, to: SQLValue)] = []
            let newValue = try entry.newValue.map { e throws(MySQLError) in
                try cursor.evaluator.evaluate(try cursor.evaluator.compile(BindVariableSubstitution.expressions([e], bindVariables), layout: []), row: [])[0]
            }
            for row in rows where row.count > i + 1 {
                guard let id = primary.keyspaceID(VindexValue(row[0])) else { continue }
                let to = entry.lookup.toValue(keyspaceID: id, primary: row[0])
                if !row[i + 1].isNull { steps.append(entry.lookup.delete(from: row[i + 1], to: to)) }
                if let newValue { inserts.append((newValue, to)) }
            }
            if let insert = entry.lookup.insert(inserts, ignore: false) { steps.append(insert) }
        }
        return steps
    }
}
