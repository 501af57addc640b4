/// A rendered trace event: process names resolved, ready to print or write as a JSON line.
public struct TraceEvent: Sendable, Equatable {
    public var time: SimTime
    public var kind: TraceKind
    public var process: String?
    public var peer: String?
    public var sentAt: SimTime?
    public var messageName: String?
    public var messageFields: TraceFields
    public var detail: String
    public var fields: TraceFields

    /// One JSON object on one line, keys in a fixed order:
    /// `t` (ns), `kind`, `process`, `from`, `sent`, `msg` {`type`, fields...}, `detail`, fields...
    public var jsonLine: String {
        var object = JSONObject()
        object.add("t", time.nanoseconds)
        object.add("kind", kind.name)
        if let process { object.add("process", process) }
        if let peer { object.add("from", peer) }
        if let sentAt { object.add("sent", sentAt.nanoseconds) }
        if let messageName {
            var msg = JSONObject()
            msg.add("type", messageName)
            for (name, value) in messageFields.items { msg.add(name, value) }
            object.add("msg", json: msg.text)
        }
        if !detail.isEmpty { object.add("detail", detail) }
        for (name, value) in fields.items { object.add(name, value) }
        return object.text
    }

    /// One line for people: `1.5s deliver echo-1 <- ping-1 ping seq=3`.
    public var summary: String {
        var parts = [time.description, kind.name]
        if let process { parts.append(process) }
        if let peer { parts.append(kind == .deliver || kind == .drop ? "<- \(peer)" : peer) }
        if let messageName {
            parts.append(messageName)
            parts += messageFields.items.map { "\($0.name)=\($0.value.text)" }
        }
        if !detail.isEmpty { parts.append(detail) }
        parts += fields.items.map { "\($0.name)=\($0.value.text)" }
        return parts.joined(separator: " ")
    }
}
