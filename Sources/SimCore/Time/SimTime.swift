/// An instant of virtual time: integer nanoseconds since the start of the run.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimTime(nanoseconds: 0)
    /// Later than any instant a run can reach.
    public static let distantFuture = SimTime(nanoseconds: Int64.max)

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimTime, d: SimDuration) -> SimTime {
        SimTime(nanoseconds: a.nanoseconds &+ d.nanoseconds)
    }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds)
    }

    /// The time since the start of the run, written as a duration (`1m30s`).
    public var description: String { SimDuration(nanoseconds: nanoseconds).description }
}
