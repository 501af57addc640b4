/// A named, seeded random stream: xoshiro256** seeded by SplitMix64 from
/// `rootSeed XOR FNV-1a-64(label)`.
///
/// Every component of a run draws from its own stream with a stable label, so adding a component
/// (a new label) does not shift the values any other component sees. All helpers below use only
/// integer arithmetic and correctly rounded IEEE operations, so the values are the same in every
/// process and on every machine.
public struct RandomStream: RandomNumberGenerator, Sendable {
    /// The label the stream was derived from, for messages and traces.
    public let label: String
    @usableFromInline var generator: Xoshiro256StarStar

    /// The stream for `label` under `rootSeed`.
    public init(rootSeed: UInt64, label: String) {
        self.label = label
        generator = Xoshiro256StarStar(seed: rootSeed ^ FNV1a.hash(label))
    }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 { generator.next() }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method); `bound` must be > 0.
    @inlinable public mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "empty range")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform integer in `range`.
    @inlinable public mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        if span == UInt64.max { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: uniform(below: span + 1))
    }

    /// A uniform integer in `range`.
    @inlinable public mutating func int(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "empty range")
        return range.lowerBound + Int(uniform(below: UInt64(range.count)))
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable public mutating func unitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p` (0 never, 1 always).
    @inlinable public mutating func chance(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return unitDouble() < p
    }

    /// A uniform duration in `lower...upper`.
    @inlinable public mutating func duration(in lower: SimDuration, _ upper: SimDuration) -> SimDuration {
        if upper <= lower { return lower }
        return SimDuration(nanoseconds: int(in: lower.nanoseconds...upper.nanoseconds))
    }

    /// A uniformly chosen element; nil for an empty collection.
    public mutating func element<C: Collection>(of items: C) -> C.Element? where C.Index == Int {
        guard !items.isEmpty else { return nil }
        return items[items.startIndex + int(in: 0..<items.count)]
    }

    /// The elements in a uniformly random order (Fisher-Yates with this stream).
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        var i = result.count - 1
        while i > 0 {
            let j = Int(uniform(below: UInt64(i + 1)))
            result.swapAt(i, j)
            i -= 1
        }
        return result
    }

    /// A new stream seeded from this one's next value and `label` (for a component that needs a
    /// stream of its own, such as a node's RAND()).
    public mutating func derived(_ label: String) -> RandomStream {
        RandomStream(rootSeed: next(), label: self.label + "/" + label)
    }
}
