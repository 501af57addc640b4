/// Identifies a process of a run: its index in registration order, which is deterministic.
public struct ProcessID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32

    @inlinable public init(index: Int32) { self.index = index }

    /// No process: the subject of run-wide events such as a heal of every partition.
    public static let none = ProcessID(index: -1)

    @inlinable public var isNone: Bool { index < 0 }

    @inlinable public static func < (a: ProcessID, b: ProcessID) -> Bool { a.index < b.index }

    public var description: String { isNone ? "none" : "#\(index)" }

    /// The 28-bit code used in the canonical trace encoding (0 for none).
    @inlinable var traceCode: UInt64 { UInt64(UInt32(bitPattern: index &+ 1)) & 0x0FFF_FFFF }
}
