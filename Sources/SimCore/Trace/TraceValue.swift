/// A value in a structured trace event.
public enum TraceValue: Sendable, Equatable {
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case double(Double)
    case string(String)
    case duration(SimDuration)
    case list([TraceValue])

    /// Feeds the value to a fingerprint in its canonical form (a type tag, then the value).
    public func fingerprint(into hasher: inout TraceHasher) {
        switch self {
        case .int(let v): hasher.combine(1); hasher.combine(UInt64(bitPattern: v))
        case .uint(let v): hasher.combine(2); hasher.combine(v)
        case .bool(let v): hasher.combine(3); hasher.combine(v ? 1 : 0)
        case .double(let v): hasher.combine(4); hasher.combine(v.bitPattern)
        case .string(let v): hasher.combine(5); hasher.combine(v)
        case .duration(let v): hasher.combine(6); hasher.combine(UInt64(bitPattern: v.nanoseconds))
        case .list(let items):
            hasher.combine(7); hasher.combine(UInt64(items.count))
            for item in items { item.fingerprint(into: &hasher) }
        }
    }

    /// The value as JSON.
    public func writeJSON(into out: inout String) {
        switch self {
        case .int(let v): out += String(v)
        case .uint(let v): out += String(v)
        case .bool(let v): out += v ? "true" : "false"
        case .double(let v): out += v.isFinite ? "\(v)" : "null"
        case .string(let v): JSON.writeString(v, into: &out)
        case .duration(let v): JSON.writeString(v.description, into: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        }
    }

    /// The value as a person reads it in a report line.
    public var text: String {
        switch self {
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .bool(let v): return v ? "true" : "false"
        case .double(let v): return "\(v)"
        case .string(let v): return v
        case .duration(let v): return v.description
        case .list(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        }
    }
}

/// Ordered named fields of a trace event (order is part of the canonical encoding).
public struct TraceFields: Sendable, Equatable {
    public private(set) var items: [(name: String, value: TraceValue)] = []

    @inlinable public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ name: String, _ value: TraceValue) { items.append((name, value)) }
    public mutating func add(_ name: String, _ value: Int) { items.append((name, .int(Int64(value)))) }
    public mutating func add(_ name: String, _ value: Int64) { items.append((name, .int(value))) }
    public mutating func add(_ name: String, _ value: UInt64) { items.append((name, .uint(value))) }
    public mutating func add(_ name: String, _ value: String) { items.append((name, .string(value))) }
    public mutating func add(_ name: String, _ value: Bool) { items.append((name, .bool(value))) }
    public mutating func add(_ name: String, _ value: SimDuration) { items.append((name, .duration(value))) }

    /// The value of the first field called `name`.
    public subscript(name: String) -> TraceValue? { items.first { $0.name == name }?.value }

    public func fingerprint(into hasher: inout TraceHasher) {
        hasher.combine(UInt64(items.count))
        for (name, value) in items {
            hasher.combine(name)
            value.fingerprint(into: &hasher)
        }
    }

    public static func == (a: TraceFields, b: TraceFields) -> Bool {
        a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
