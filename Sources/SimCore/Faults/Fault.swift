/// A fault the kernel injects, naming processes by id.
public typealias Fault = FaultAction<ProcessID>

/// A fault: network partitions and perturbations, and process lifecycle. `Target` is how the
/// fault names a process: an id inside the kernel, a name in a scenario file.
public enum FaultAction<Target: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible {
    /// Cut the links from side A to side B, and back unless `oneWay`. `name` lets a later heal name
    /// it; an unnamed partition gets `p1`, `p2`, ... in order.
    case partition(name: String?, sideA: [Target], sideB: [Target], oneWay: Bool)
    /// Heal the named partition, or every partition when `name` is nil.
    case heal(name: String?)
    /// Crash a process: volatile state, timers and messages in flight to it are lost; its durable
    /// state stays, less its last `losingUnsynced` unsynced writes (a storage fault).
    case crash(Target, losingUnsynced: Int)
    /// Start a crashed process again from its durable state (a running one is crashed first).
    case restart(Target)
    /// Stop a process from running; what reaches it waits until it resumes.
    case pause(Target)
    case resume(Target)
    /// Slow every link to and from a process by `extraDelay`.
    case clog(Target, extraDelay: SimDuration)
    case unclog(Target)
    /// Make every link to and from a process lossy, duplicating or reordering.
    case degrade(Target, drop: Double, duplicate: Double, reorder: Double)
    case restore(Target)

    public var kind: TraceKind {
        switch self {
        case .partition: .partition
        case .heal: .heal
        case .crash: .crash
        case .restart: .restart
        case .pause: .pause
        case .resume: .resume
        case .clog: .clog
        case .unclog: .unclog
        case .degrade: .degrade
        case .restore: .restore
        }
    }

    /// The process the fault is about, if it is about one.
    public var subject: Target? {
        switch self {
        case .crash(let p, _), .restart(let p), .pause(let p), .resume(let p), .clog(let p, _),
             .unclog(let p), .degrade(let p, _, _, _), .restore(let p):
            p
        case .partition, .heal:
            nil
        }
    }

    /// Every process the fault names.
    public var targets: [Target] {
        if case .partition(_, let a, let b, _) = self { return a + b }
        return subject.map { [$0] } ?? []
    }

    /// The same fault with its processes named another way.
    public func map<Other>(_ transform: (Target) throws -> Other) rethrows -> FaultAction<Other> {
        switch self {
        case .partition(let name, let a, let b, let oneWay):
            .partition(name: name, sideA: try a.map(transform), sideB: try b.map(transform), oneWay: oneWay)
        case .heal(let name): .heal(name: name)
        case .crash(let p, let losing): .crash(try transform(p), losingUnsynced: losing)
        case .restart(let p): .restart(try transform(p))
        case .pause(let p): .pause(try transform(p))
        case .resume(let p): .resume(try transform(p))
        case .clog(let p, let delay): .clog(try transform(p), extraDelay: delay)
        case .unclog(let p): .unclog(try transform(p))
        case .degrade(let p, let drop, let duplicate, let reorder):
            .degrade(try transform(p), drop: drop, duplicate: duplicate, reorder: reorder)
        case .restore(let p): .restore(try transform(p))
        }
    }

    public var description: String {
        switch self {
        case .partition(let name, let a, let b, let oneWay):
            "partition\(name.map { " " + $0 } ?? "") \(a) \(oneWay ? "->" : "<->") \(b)"
        case .heal(let name): "heal \(name ?? "all")"
        case .crash(let p, let loss): loss > 0 ? "crash \(p) losing \(loss)" : "crash \(p)"
        case .restart(let p): "restart \(p)"
        case .pause(let p): "pause \(p)"
        case .resume(let p): "resume \(p)"
        case .clog(let p, let d): "clog \(p) +\(d)"
        case .unclog(let p): "unclog \(p)"
        case .degrade(let p, let drop, let dup, let reorder): "degrade \(p) drop=\(drop) dup=\(dup) reorder=\(reorder)"
        case .restore(let p): "restore \(p)"
        }
    }
}
