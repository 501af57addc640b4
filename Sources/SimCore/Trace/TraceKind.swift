/// What a trace event records.
public enum TraceKind: UInt8, Sendable, CaseIterable {
    case start = 1, deliver, timer, drop, crash, restart, pause, resume
    case partition, heal, clog, unclog, degrade, restore, state, fault, note, budget
    /// A stream message that waits for a partition to heal.
    case hold

    public var name: String {
        switch self {
        case .start: "start"
        case .deliver: "deliver"
        case .timer: "timer"
        case .drop: "drop"
        case .crash: "crash"
        case .restart: "restart"
        case .pause: "pause"
        case .resume: "resume"
        case .partition: "partition"
        case .heal: "heal"
        case .clog: "clog"
        case .unclog: "unclog"
        case .degrade: "degrade"
        case .restore: "restore"
        case .state: "state"
        case .fault: "fault"
        case .note: "note"
        case .budget: "budget"
        case .hold: "hold"
        }
    }
}
