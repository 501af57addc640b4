import SQLSyntax

/// One aggregate the gateway computes (Vitess's `opcode.AggregateOpcode`): over raw values
/// (`count`, `sum`, `min`, `max`, `avg` and their DISTINCT forms), or over the shards' partial
/// results (`sum_count`, `sum_count_star`, `sum` of sums, `min`/`max` of extremes, `avg` of a
/// sum and a count).
public struct AggregateSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Opcode: String, Sendable {
        case countStar = "count_star", count, sum, min, max, avg
        case countDistinct = "count_distinct", sumDistinct = "sum_distinct", avgDistinct = "avg_distinct"
        /// Partial results from shards.
        case sumCount = "sum_count", sumCountStar = "sum_count_star", sumOfSums = "sum_of_sums"
        case avgOfParts = "avg_of_parts"
        /// A column neither grouped nor aggregated: the first row's value, as MySQL without
        /// ONLY_FULL_GROUP_BY gives (Vitess's `any_value`).
        case anyValue = "any_value"
    }

    public var opcode: Opcode
    /// The input column it reads (the sum for `avg_of_parts`).
    public var column: Int
    /// The count column of `avg_of_parts`.
    public var countColumn: Int?

    public init(_ opcode: Opcode, column: Int, countColumn: Int? = nil) {
        self.opcode = opcode
        self.column = column
        self.countColumn = countColumn
    }

    public var description: String { "\(opcode.rawValue)(\(column)\(countColumn.map { "|\($0)" } ?? ""))" }
}

/// The running state of one aggregate over one group.
struct Aggregator {
    let spec: AggregateSpec
    var count: Int64 = 0
    var sum: NumericSum = NumericSum()
    var extreme: SQLValue = .null
    var seen: Set<ValueOrder.GroupKey> = []

    init(_ spec: AggregateSpec) { self.spec = spec }

    mutating func add(_ row: [SQLValue]) {
        let value = row[spec.column]
        switch spec.opcode {
        case .countStar:
            count += 1
        case .count:
            if !value.isNull { count += 1 }
        case .sum, .sumOfSums:
            if !value.isNull { sum.add(value) }
        case .avg:
            if !value.isNull { sum.add(value); count += 1 }
        case .min:
            if !value.isNull && (extreme.isNull || ValueOrder.compare(value, extreme) < 0) { extreme = value }
        case .max:
            if !value.isNull && (extreme.isNull || ValueOrder.compare(value, extreme) > 0) { extreme = value }
        case .countDistinct, .sumDistinct, .avgDistinct:
            guard !value.isNull, seen.insert(ValueOrder.groupKey(value)).inserted else { return }
            count += 1
            sum.add(value)
        case .sumCount, .sumCountStar:
            count += value.integer ?? 0
        case .anyValue:
            if count == 0 { extreme = value }
            count += 1
        case .avgOfParts:
            if !value.isNull { sum.add(value) }
            count += spec.countColumn.flatMap { row[$0].integer } ?? 0
        }
    }

    var result: SQLValue {
        switch spec.opcode {
        case .countStar, .count, .countDistinct, .sumCount, .sumCountStar: .integer(count)
        case .sum, .sumOfSums, .sumDistinct: sum.value
        case .min, .max, .anyValue: extreme
        case .avg, .avgDistinct, .avgOfParts: count == 0 ? .null : .real(sum.double / Double(count))
        }
    }
}

/// A sum as the nodes compute it: exact while every term is an integer and it fits, a double
/// otherwise; NULL when nothing was added.
struct NumericSum {
    var integer: Int64 = 0
    var real: Double = 0
    var exact = true
    var any = false

    mutating func add(_ value: SQLValue) {
        any = true
        if exact, case .integer(let v) = value {
            let (s, overflow) = integer.addingReportingOverflow(v)
            if !overflow {
                integer = s
                return
            }
        }
        if exact {
            exact = false
            real = Double(integer)
        }
        real += MySQLNumbers.number(value.sqlite)?.double ?? 0
    }

    var double: Double { exact ? Double(integer) : real }
    var value: SQLValue { !any ? .null : (exact ? .integer(integer) : .real(real)) }
}
