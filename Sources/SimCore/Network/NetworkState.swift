/// The kernel's network: link behaviour, the partitions in force, per-process perturbations
/// (clogs, lossy links) and the FIFO order of each link.
public struct NetworkState: Sendable {
    /// How links behave unless overridden.
    public var defaultLink: LinkConfig
    /// Per-link overrides: each link's index into `overrideConfigs` plus one (0: the default). A
    /// matrix rather than a dictionary, because every send looks its link up.
    @usableFromInline var overrideIndex = LinkMatrix<UInt16>(initial: 0)
    /// The distinct override configurations.
    @usableFromInline var overrideConfigs: ContiguousArray<LinkConfig> = []
    public internal(set) var partitions = PartitionTable()
    /// Per-process perturbation; `perturbedCount` says whether any is in force.
    @usableFromInline var perturbations: ContiguousArray<LinkPerturbation> = []
    @usableFromInline var perturbedCount = 0
    /// The latest delivery time scheduled on each link, to keep links FIFO.
    @usableFromInline var lastDelivery = LinkMatrix<Int64>(initial: Int64.min)

    public init(defaultLink: LinkConfig) { self.defaultLink = defaultLink }

    /// The configuration of `from → to`.
    @inlinable public func link(from: ProcessID, to: ProcessID) -> LinkConfig {
        if overrideConfigs.isEmpty { return defaultLink }
        let index = overrideIndex[from, to]
        return index == 0 ? defaultLink : overrideConfigs[Int(index) - 1]
    }

    /// Overrides the configuration of `from → to` (nil restores the default).
    public mutating func setLink(from: ProcessID, to: ProcessID, _ config: LinkConfig?) {
        guard let config else {
            if overrideIndex[from, to] != 0 { overrideIndex[from, to] = 0 }
            return
        }
        // Links share few configurations: each distinct one is kept once.
        if let existing = overrideConfigs.firstIndex(of: config) {
            overrideIndex[from, to] = UInt16(existing + 1)
        } else {
            precondition(overrideConfigs.count < Int(UInt16.max), "too many distinct link configurations")
            overrideConfigs.append(config)
            overrideIndex[from, to] = UInt16(overrideConfigs.count)
        }
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
