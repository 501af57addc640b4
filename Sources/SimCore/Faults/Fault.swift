/// A fault the kernel can inject: network partitions and perturbations, and process lifecycle.
public enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// Cut the links from side A to side B, and back unless `oneWay`. `name` lets a later heal name
    /// it; an unnamed partition gets `p1`, `p2`, ... in order.
    case partition(name: String?, sideA: [ProcessID], sideB: [ProcessID], oneWay: Bool)
    /// Heal the named partition, or every partition when `name` is nil.
    case heal(name: String?)
    /// Crash a process: volatile state, timers and messages in flight to it are lost; its durable
    /// state stays, less its last `losingUnsynced` unsynced writes (a storage fault).
    case crash(ProcessID, losingUnsynced: Int)
    /// Start a crashed process again from its durable state (a running one is crashed first).
    case restart(ProcessID)
    /// Stop a process from running; what reaches it waits until it resumes.
    case pause(ProcessID)
    case resume(ProcessID)
    /// Slow every link to and from a process by `extraDelay`.
    case clog(ProcessID, extraDelay: SimDuration)
    case unclog(ProcessID)
    /// Make every link to and from a process lossy, duplicating or reordering.
    case degrade(ProcessID, drop: Double, duplicate: Double, reorder: Double)
    case restore(ProcessID)

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
    public var subject: ProcessID {
        switch self {
        case .crash(let p, _), .restart(let p), .pause(let p), .resume(let p), .clog(let p, _),
             .unclog(let p), .degrade(let p, _, _, _), .restore(let p):
            p
        case .partition, .heal:
            .none
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
