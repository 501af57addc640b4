/// A dense value per directed link `from → to`, laid out in rows of a power-of-two width so that a
/// lookup is one shift, one OR and one load. Grows as processes are added.
public struct LinkMatrix<Value: Sendable>: Sendable {
    @usableFromInline var values: ContiguousArray<Value> = []
    @usableFromInline var shift: Int = 0
    @usableFromInline let initial: Value

    public init(initial: Value) { self.initial = initial }

    /// The value for `from → to`; the initial value for a link the matrix has not grown to yet.
    @inlinable @inline(__always) public subscript(from: ProcessID, to: ProcessID) -> Value {
        get {
            let side = 1 << shift
            guard Int(from.index) < side, Int(to.index) < side, !values.isEmpty else { return initial }
            return values[Int(from.index) << shift | Int(to.index)]
        }
        set {
            let side = 1 << shift
            if Int(from.index) >= side || Int(to.index) >= side || values.isEmpty {
                ensureCapacity(max(Int(from.index), Int(to.index)) + 1)
            }
            values[Int(from.index) << shift | Int(to.index)] = newValue
        }
    }

    /// Makes room for processes `0..<processCount`.
    public mutating func ensureCapacity(_ processCount: Int) {
        var newShift = shift
        while (1 << newShift) < processCount { newShift += 1 }
        if newShift == shift && !values.isEmpty { return }
        var grown = ContiguousArray<Value>(repeating: initial, count: 1 << (2 * newShift))
        if !values.isEmpty {
            let oldSide = 1 << shift
            for from in 0..<oldSide {
                for to in 0..<oldSide {
                    grown[from << newShift | to] = values[from << shift | to]
                }
            }
        }
        values = grown
        shift = newShift
    }

    /// Every link back to the initial value.
    public mutating func reset() {
        for i in values.indices { values[i] = initial }
    }
}
