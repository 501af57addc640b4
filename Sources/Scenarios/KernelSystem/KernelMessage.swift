import SimCore

/// Messages of the kernel-level system: pings, pongs and the ping timer.
public enum KernelMessage: SimMessage, Equatable {
    case ping(seq: Int64)
    case pong(seq: Int64)
    case tick

    public var traceName: String {
        switch self {
        case .ping: "ping"
        case .pong: "pong"
        case .tick: "tick"
        }
    }

    public func traceFields(into fields: inout TraceFields) {
        switch self {
        case .ping(let seq), .pong(let seq): fields.add("seq", seq)
        case .tick: break
        }
    }

    public func fingerprint(into hasher: inout TraceHasher) {
        switch self {
        case .ping(let seq): hasher.combine(1); hasher.combine(UInt64(bitPattern: seq))
        case .pong(let seq): hasher.combine(2); hasher.combine(UInt64(bitPattern: seq))
        case .tick: hasher.combine(3)
        }
    }
}
