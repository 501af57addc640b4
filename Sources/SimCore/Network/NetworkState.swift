/// The kernel's network: link behaviour, the partitions in force, per-process perturbations
/// (clogs, lossy links) and the FIFO order of each link.
public struct NetworkState: Sendable {
    /// How links behave unless overridden.
    public var defaultLink: LinkConfig
    /// Per-link overrides, keyed by `from << 32 | to` (looked up, never iterated).
    @usableFromInline var overrides: [UInt64: LinkConfig] = [:]
    public internal(set) var partitions = PartitionTable()
    /// Per-process perturbation; `perturbedCount` says whether any is in force.
    @usableFromInline var perturbations: ContiguousArray<LinkPerturbation> = []
    @usableFromInline var perturbedCount = 0
    /// The latest delivery time scheduled on each link, to keep links FIFO.
    @usableFromInline var lastDelivery = LinkMatrix<Int64>(initial: Int64.min)

    public init(defaultLink: LinkConfig) { self.defaultLink = defaultLink }

    /// The configuration of `from → to`.
    @inlinable public func link(from: ProcessID, to: ProcessID) -> LinkConfig {
        if overrides.isEmpty { return defaultLink }
        return overrides[Self.key(from, to)] ?? defaultLink
    }

    /// Overrides the configuration of `from → to` (nil restores the default).
    public mutating func setLink(from: ProcessID, to: ProcessID, _ config: LinkConfig?) {
        overrides[Self.key(from, to)] = config
    }

    @inlinable static func key(_ from: ProcessID, _ to: ProcessID) -> UInt64 {
        UInt64(UInt32(bitPattern: from.index)) << 32 | UInt64(UInt32(bitPattern: to.index))
    }

    /// The perturbation of `process`'s links.
    public func perturbation(of process: ProcessID) -> LinkPerturbation {
        Int(process.index) < perturbations.count ? perturbations[Int(process.index)] : .none
    }

    mutating func setPerturbation(_ p: LinkPerturbation, for process: ProcessID) {
        let i = Int(process.index)
        while perturbations.count <= i { perturbations.append(.none) }
        let was = perturbations[i].isNone
        perturbations[i] = p
        perturbedCount += (was ? 1 : 0) - (p.isNone ? 1 : 0)
    }

    mutating func processAdded(count: Int) {
        lastDelivery.ensureCapacity(count)
        while perturbations.count < count { perturbations.append(.none) }
    }

    /// Forgets the FIFO position of every link to or from `process` (its connections are gone).
    mutating func resetLinks(of process: ProcessID, processCount: Int) {
        for other in 0..<processCount {
            let o = ProcessID(index: Int32(other))
            lastDelivery[process, o] = Int64.min
            lastDelivery[o, process] = Int64.min
        }
    }
}
