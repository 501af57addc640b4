import SimCore

/// What the topology service keeps across crashes: every key with its value and version.
public final class TopoStore: DurableState {
    public internal(set) var entries: [String: TopoEntry] = [:]
    /// The last version handed out (like etcd's revision: it only grows).
    var lastVersion = 0

    public init() {}

    /// Sets a key directly (cluster set-up, before the run starts).
    public func put(_ key: String, _ value: TopoValue) {
        lastVersion += 1
        entries[key] = TopoEntry(key: key, value: value, version: lastVersion)
    }

    public func value(_ key: String) -> TopoValue? { entries[key]?.value }
}

/// The topology service (etcd's role in Vitess): a versioned key-value store with
/// compare-and-set, watches on key prefixes and leased locks. It runs as a process, so it can be
/// partitioned away or crash; its data survives crashes, its watches do not.
final class TopoServer: SimProcess {
    let store: TopoStore
    // Unchecked exclusivity: one thread runs a simulation and no access to these properties
    // overlaps another; the runtime checks cost 7% of a run.
    @exclusivity(unchecked) var watches: [(watcher: ProcessID, prefix: String, until: SimTime)] = []

    init(store: TopoStore) { self.store = store }

    /// Timers arrive as messages to this process itself.
    func timerFired(_ message: ClusterMessage, _ context: ProcessContext<ClusterMessage>) {
        receive(message, from: context.id, context)
    }

    func receive(_ message: ClusterMessage, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        guard case .topoRequest(let id, let request) = message else { return }
        context.send(.topoReply(id: id, reply: handle(request, from: sender, context)), to: sender)
    }

    func handle(_ request: TopoRequest, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) -> TopoReply {
        switch request {
        case .get(let key):
            guard let entry = store.entries[key] else { return .value(nil, version: 0) }
            return .value(entry.value, version: entry.version)
        case .list(let prefix):
            return .entries(store.entries.keys.filter { $0.hasPrefix(prefix) }.sorted().compactMap { store.entries[$0] })
        case .create(let key, let value):
            guard store.entries[key] == nil else { return .failed(.nodeExists) }
            return .done(version: write(key, value, context))
        case .update(let key, let value, let expected):
            guard let entry = store.entries[key] else { return .failed(.noNode) }
            guard entry.version == expected else { return .failed(.badVersion) }
            return .done(version: write(key, value, context))
        case .delete(let key, let expected):
            guard let entry = store.entries[key] else { return .failed(.noNode) }
            if let expected, entry.version != expected { return .failed(.badVersion) }
            remove(key, context)
            return .done(version: store.lastVersion)
        case .watch(let prefix, let lease):
            watches.removeAll { $0.watcher == sender && $0.prefix == prefix }
            watches.append((sender, prefix, context.now + lease))
            return .done(version: store.lastVersion)
        case .lock(let key, let owner, let lease):
            if let entry = store.entries[key], case .lock(let holder, let until) = entry.value, holder != owner, until > context.now {
                return .failed(.locked)
            }
            return .done(version: write(key, .lock(owner: owner, until: context.now + lease), context))
        case .unlock(let key, let owner):
            guard let entry = store.entries[key], case .lock(let holder, _) = entry.value else { return .failed(.noNode) }
            guard holder == owner else { return .failed(.locked) }
            remove(key, context)
            return .done(version: store.lastVersion)
        }
    }

    func write(_ key: String, _ value: TopoValue, _ context: ProcessContext<ClusterMessage>) -> Int {
        store.put(key, value)
        let version = store.lastVersion
        notify(key, value, version, context)
        return version
    }

    func remove(_ key: String, _ context: ProcessContext<ClusterMessage>) {
        store.entries[key] = nil
        store.lastVersion += 1
        notify(key, nil, store.lastVersion, context)
    }

    func notify(_ key: String, _ value: TopoValue?, _ version: Int, _ context: ProcessContext<ClusterMessage>) {
        watches.removeAll { $0.until < context.now }
        for watch in watches where key.hasPrefix(watch.prefix) {
            context.send(.topoWatchEvent(key: key, value: value, version: version), to: watch.watcher)
        }
    }
}
