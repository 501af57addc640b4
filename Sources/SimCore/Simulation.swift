/// The deterministic kernel: one seeded discrete-event scheduler that runs every process of a
/// simulated system, carries their messages over a faulty network and injects faults.
///
/// Events are ordered by (virtual time, insertion sequence). Handlers run one at a time, to
/// completion; there is no concurrency inside a run. Every delivered message, fired timer, fault
/// and state change is a trace event folded into the run's fingerprint, so the same seed and the
/// same inputs give the same fingerprint in any process.
public final class Simulation<Message: SimMessage> {
    /// How a run is set up.
    public struct Configuration: Sendable {
        /// How links behave unless overridden.
        public var network: LinkConfig
        /// The most events one run may process; reaching it ends the run with `.budgetExhausted`.
        public var eventBudget: Int
        /// How many recent trace events to keep for failure reports.
        public var traceRingCapacity: Int

        public init(network: LinkConfig = .reliable, eventBudget: Int = 50_000_000, traceRingCapacity: Int = 512) {
            self.network = network
            self.eventBudget = eventBudget
            self.traceRingCapacity = traceRingCapacity
        }
    }

    /// The run's root seed.
    public let seed: UInt64
    /// Named random streams derived from the seed.
    public let streams: RandomStreams
    /// The current virtual time.
    @inlinable public var now: SimTime { clock }
    @usableFromInline @exclusivity(unchecked) var clock: SimTime = .zero
    /// The most events the run may process.
    @exclusivity(unchecked) public var eventBudget: Int
    /// Events processed so far (cancelled timers and discarded stale events do not count).
    public var eventsProcessed: Int { handled }
    @usableFromInline @exclusivity(unchecked) var handled = 0
    /// The network: link behaviour, partitions, perturbations.
    public var network: NetworkState { net }
    @usableFromInline @exclusivity(unchecked) var net: NetworkState
    /// The trace: fingerprint, recent events, optional sink.
    public var trace: TraceRecorder<Message> { recorder }
    @usableFromInline @exclusivity(unchecked) var recorder: TraceRecorder<Message>

    // The hot state below is exempt from dynamic exclusivity checks (they cost ~40% of an event):
    // the kernel is single-threaded and never lends an inout access to its state to handler code,
    // so no two accesses can overlap.
    /// Low bits of a queue key's tag that name the slot: up to 16M pending events.
    @inlinable static var slotBits: UInt64 { 24 }
    @inlinable static var slotMask: UInt64 { 0xFF_FFFF }
    /// Sequence numbers available per run (2^40, about 10^12 events).
    @inlinable static var sequenceLimit: UInt64 { 1 << 40 }

    @usableFromInline @exclusivity(unchecked) var queue = EventQueue()
    @usableFromInline @exclusivity(unchecked) var slots: ContiguousArray<EventBody<Message>> = []
    @usableFromInline @exclusivity(unchecked) var slotTags: ContiguousArray<UInt64> = []
    @usableFromInline @exclusivity(unchecked) var freeSlots: ContiguousArray<UInt32> = []
    @usableFromInline @exclusivity(unchecked) var nextSequence: UInt64 = 0
    /// Keys in the queue whose timers were cancelled.
    @usableFromInline @exclusivity(unchecked) var staleKeys = 0
    /// True while the event at the top of the queue is being handled and still occupies the top:
    /// the first event the handler schedules replaces it instead of being pushed.
    @usableFromInline @exclusivity(unchecked) var topPending = false
    @exclusivity(unchecked) var hosts: [ProcessHost<Message>] = []
    /// Hot per-process state, indexed by process: lifecycle status, incarnation (bumped on every
    /// crash; events addressed to an older one are discarded) and the instance to dispatch to
    /// (nil while crashed).
    @usableFromInline @exclusivity(unchecked) var statuses: ContiguousArray<ProcessStatus> = []
    @usableFromInline @exclusivity(unchecked) var incarnations: ContiguousArray<UInt32> = []
    @usableFromInline @exclusivity(unchecked) var handlers: ContiguousArray<Unmanaged<ProcessDispatcher<Message>>?> = []
    /// Each sender's stream for network decisions (latency, loss), apart from its logic stream.
    @usableFromInline @exclusivity(unchecked) var sendRandom: ContiguousArray<RandomStream> = []
    @exclusivity(unchecked) var idsByName: [String: ProcessID] = [:]
    @usableFromInline @exclusivity(unchecked) var running = false
    /// Stream messages waiting for partitions to heal.
    @exclusivity(unchecked) @usableFromInline var held = HeldMessages<Message>()
    /// Per stream link (`from << 32 | to`), messages released after a heal and waiting for their
    /// retransmission, with any sent earlier that arrive meanwhile behind them (TCP's order).
    @exclusivity(unchecked) @usableFromInline var releasing: [UInt64: [Releasing]] = [:]

    /// A stream message waiting behind a release.
    @usableFromInline struct Releasing {
        let message: Message
        let incarnation: UInt32
        let sentAt: SimTime

        @usableFromInline init(message: Message, incarnation: UInt32, sentAt: SimTime) {
            self.message = message
            self.incarnation = incarnation
            self.sentAt = sentAt
        }
    }

    public init(seed: UInt64, configuration: Configuration = Configuration()) {
        self.seed = seed
        streams = RandomStreams(rootSeed: seed)
        eventBudget = configuration.eventBudget
        net = NetworkState(defaultLink: configuration.network)
        recorder = TraceRecorder(ringCapacity: configuration.traceRingCapacity, seed: seed)
    }

    // MARK: Processes

    /// Adds a process whose durable state survives its crashes; `make` builds a fresh instance
    /// from it now and on every restart. The process starts at the current time.
    @discardableResult
    public func addProcess<D: DurableState>(
        named name: String, durable: D, make: @escaping (D) -> any SimProcess<Message>
    ) -> ProcessID {
        precondition(idsByName[name] == nil, "duplicate process name \(name)")
        precondition(hosts.count < Int(Int32.max) >> 4, "too many processes")
        let id = ProcessID(index: Int32(hosts.count))
        let build = { make(durable) }
        let instance = build()
        let dispatcher = ProcessDispatcher.make(for: instance)
        hosts.append(ProcessHost(
            name: name, instance: instance, dispatcher: dispatcher, durable: durable, make: build,
            random: streams.stream("process/\(name)#0")))
        statuses.append(.running)
        incarnations.append(0)
        handlers.append(Unmanaged.passUnretained(dispatcher))
        sendRandom.append(streams.stream("net/\(name)"))
        idsByName[name] = id
        net.processAdded(count: hosts.count)
        _ = schedule(.start(id, incarnation: 0), at: now)
        return id
    }

    /// Adds a process with no durable state.
    @discardableResult
    public func addProcess(named name: String, make: @escaping () -> any SimProcess<Message>) -> ProcessID {
        addProcess(named: name, durable: NoDurableState()) { _ in make() }
    }

    /// How many processes the run has.
    public var processCount: Int { hosts.count }
    /// Every process, in registration order.
    public var processIDs: [ProcessID] { (0..<hosts.count).map { ProcessID(index: Int32($0)) } }
    /// The name of `process`.
    public func name(of process: ProcessID) -> String {
        process.isNone ? "none" : hosts[Int(process.index)].name
    }
    /// The process called `name`.
    public func processID(named name: String) -> ProcessID? { idsByName[name] }
    /// The lifecycle state of `process`.
    public func status(of process: ProcessID) -> ProcessStatus { statuses[Int(process.index)] }
    /// How many times `process` has crashed.
    public func incarnation(of process: ProcessID) -> UInt32 { incarnations[Int(process.index)] }
    /// The current instance of `process` (nil while crashed), for checkers to inspect.
    public func instance(of process: ProcessID) -> (any SimProcess<Message>)? { hosts[Int(process.index)].instance }
    /// The durable state of `process`.
    public func durableState(of process: ProcessID) -> any DurableState { hosts[Int(process.index)].durable }

    func withProcessRandom<T>(_ process: ProcessID, _ body: (inout RandomStream) -> T) -> T {
        // Copied out and back, so that `body` may use the kernel while it draws.
        var random = hosts[Int(process.index)].random
        let result = body(&random)
        hosts[Int(process.index)].random = random
        return result
    }

    // MARK: Scheduling

    /// Puts `body` in a free slot and its key in the queue; returns the tag (sequence and slot).
    @inlinable @inline(__always)
    func schedule(_ body: EventBody<Message>, at time: SimTime) -> UInt64 {
        precondition(time >= now, "event scheduled in the past")
        precondition(nextSequence < Self.sequenceLimit, "event sequence exhausted")
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(free)] = body
        } else {
            precondition(UInt64(slots.count) <= Self.slotMask, "too many pending events")
            slot = UInt32(slots.count)
            slots.append(body)
            slotTags.append(0)
        }
        let tag = nextSequence << Self.slotBits | UInt64(slot)
        nextSequence &+= 1
        slotTags[Int(slot)] = tag
        let key = UInt128(UInt64(bitPattern: time.nanoseconds)) << 64 | UInt128(tag)
        if topPending {
            topPending = false
            queue.replaceFirst(with: key)
        } else {
            queue.push(key)
        }
        return tag
    }

    @inlinable @inline(__always)
    func takeSlot(_ slot: Int) -> EventBody<Message> {
        // A move out of the slot (the slot is left empty), not a copy of the payload.
        let body = slots.withUnsafeMutableBufferPointer { slots in
            let pointer = slots.baseAddress.unsafelyUnwrapped + slot
            let body = pointer.move()
            pointer.initialize(to: .empty)
            return body
        }
        freeSlots.append(UInt32(truncatingIfNeeded: slot))
        return body
    }

    /// Runs `action` at `time` (harness code: scenario steps, checkers, fault generators).
    public func schedule(at time: SimTime, _ action: @escaping () -> Void) {
        _ = schedule(.action(action), at: max(time, now))
    }

    /// Runs `action` after `delay`.
    public func schedule(after delay: SimDuration, _ action: @escaping () -> Void) {
        schedule(at: now + delay, action)
    }

    /// Injects `fault` at `time`.
    public func schedule(_ fault: Fault, at time: SimTime) {
        _ = schedule(.fault(fault), at: max(time, now))
    }

    /// Events waiting in the queue (including one being handled).
    public var pendingEvents: Int { queue.count - staleKeys }

    /// Keys in the queue, cancelled timers' stale keys included (a diagnostic of the kernel's memory).
    public var queuedKeys: Int { queue.count }

    /// Slots of the event side table, free or not (a diagnostic of the kernel's memory).
    public var slotCount: Int { slots.count }

    // MARK: Messages and timers

    /// Sends `message` from `sender` to `destination` across their link: it may be cut by a
    /// partition, lost, delayed, duplicated or reordered as the link and any faults say.
    @inlinable public func send(_ message: Message, from sender: ProcessID, to destination: ProcessID) {
        precondition(Int(destination.index) < incarnations.count && !destination.isNone, "unknown destination")
        let s = Int(sender.index)
        let link = net.link(from: sender, to: destination)
        let stream = link.transport == .stream
        if net.partitions.isCut(from: sender, to: destination) {
            if stream {
                hold(message, from: sender, to: destination, receiverIncarnation: incarnations[Int(destination.index)], sentAt: now)
            } else {
                record(.drop, destination, peer: sender, sentAt: now, message: message, note: Self.partitionNote)
            }
            return
        }
        if stream && mustQueueBehindHeld(from: sender, to: destination) {
            hold(message, from: sender, to: destination, receiverIncarnation: incarnations[Int(destination.index)], sentAt: now)
            return
        }
        var drop = link.drop
        var duplicate = link.duplicate
        var reorder = link.reorder
        var extra = SimDuration.zero
        if net.perturbedCount > 0 {
            let a = net.perturbations[s]
            let b = net.perturbations[Int(destination.index)]
            extra = a.extraDelay + b.extraDelay
            drop = max(drop, a.drop, b.drop)
            duplicate = max(duplicate, a.duplicate, b.duplicate)
            reorder = max(reorder, a.reorder, b.reorder)
        }
        if drop > 0 && sendRandom[s].chance(drop) {
            if stream {
                extra = extra + retransmissionDelay(drop: drop, sender: s)
            } else {
                record(.drop, destination, peer: sender, sentAt: now, message: message, note: Self.lossNote)
                return
            }
        }
        var at = now + link.latency.sample(&sendRandom[s]) + extra
        if !stream && reorder > 0 && sendRandom[s].chance(reorder) {
            // Leaves the link's FIFO order with an extra delay: later messages may overtake it.
            at = at + link.latency.sample(&sendRandom[s])
        } else {
            let last = net.lastDelivery[sender, destination]
            if at.nanoseconds < last { at = SimTime(nanoseconds: last) }
            net.lastDelivery[sender, destination] = at.nanoseconds
        }
        let incarnation = incarnations[Int(destination.index)]
        _ = schedule(.deliver(message, from: sender, to: destination, incarnation: incarnation, sentAt: now), at: at)
        if !stream && duplicate > 0 && sendRandom[s].chance(duplicate) {
            let copyAt = now + link.latency.sample(&sendRandom[s]) + extra
            _ = schedule(.deliver(message, from: sender, to: destination, incarnation: incarnation, sentAt: now), at: copyAt)
        }
    }

    /// Fires `message` at `process` after `delay`.
    @inlinable public func setTimer(for process: ProcessID, after delay: SimDuration, _ message: Message) -> TimerHandle {
        precondition(delay.nanoseconds >= 0, "negative timer delay")
        let incarnation = incarnations[Int(process.index)]
        return TimerHandle(tag: schedule(.timer(message, process: process, incarnation: incarnation), at: now + delay))
    }

    /// Cancels a pending timer; one that already fired or was cancelled is left alone.
    ///
    /// The timer's slot is free at once; its key stays in the queue, stale (its tag no longer
    /// matches the slot's), until it comes up or the queue is compacted. A run with many RPC
    /// timeouts answered long before they expire would otherwise hold every one of them.
    @inlinable public func cancelTimer(_ handle: TimerHandle) {
        let slot = Int(truncatingIfNeeded: handle.tag & Self.slotMask)
        guard slot < slots.count, slotTags[slot] == handle.tag, case .timer = slots[slot] else { return }
        slots[slot] = .empty
        slotTags[slot] = Self.staleTag
        freeSlots.append(UInt32(truncatingIfNeeded: slot))
        staleKeys &+= 1
    }

    /// The tag of a slot whose key is stale: no event's tag (sequences stay below 2^40).
    @inlinable static var staleTag: UInt64 { .max }

    /// Drops the stale keys from the queue once they are most of it.
    @inlinable func compactIfMostlyStale() {
        guard staleKeys > 4_096, staleKeys > queue.count / 2 else { return }
        let tags = slotTags
        queue.removeAll { key in
            let tag = UInt64(truncatingIfNeeded: key)
            return tags[Int(truncatingIfNeeded: tag & Self.slotMask)] != tag
        }
        staleKeys = 0
    }

    // MARK: Running

    /// Runs events in order until none is left, the next one lies after `deadline`, `condition`
    /// (checked after every event) holds, or the event budget is spent.
    @discardableResult @inlinable
    public func run(until deadline: SimTime = .distantFuture, stopWhen condition: (() -> Bool)? = nil) -> RunOutcome {
        precondition(!running, "Simulation.run is not reentrant")
        running = true
        defer { running = false }
        while let key = queue.first {
            let time = Int64(truncatingIfNeeded: UInt64(truncatingIfNeeded: key >> 64))
            if time > deadline.nanoseconds {
                if deadline > clock { clock = deadline }
                return .deadlineReached
            }
            if handled >= eventBudget {
                var fields = TraceFields()
                fields.add("budget", eventBudget)
                record(.budget, .none, note: TraceNote(detail: "event budget exhausted", fields: fields))
                return .budgetExhausted
            }
            let tag = UInt64(truncatingIfNeeded: key)
            let slot = Int(truncatingIfNeeded: tag & Self.slotMask)
            if slotTags[slot] != tag {
                // A cancelled timer's key.
                queue.removeFirst()
                staleKeys &-= 1
                continue
            }
            clock = SimTime(nanoseconds: time)
            let body = takeSlot(slot)
            topPending = true
            if dispatch(body) { handled &+= 1 }
            if topPending {
                topPending = false
                queue.removeFirst()
            }
            if staleKeys > 4_096 { compactIfMostlyStale() }
            if let condition, condition() { return .conditionMet }
        }
        return .quiescent
    }

    /// Runs one event; returns whether it was handled (false for skipped and stale events).
    @inlinable func dispatch(_ body: consuming EventBody<Message>) -> Bool {
        switch consume body {
        case .deliver(let message, let from, let to, let incarnation, let sentAt):
            return deliver(message, from: from, to: to, incarnation: incarnation, sentAt: sentAt)
        case .timer(let message, let process, let incarnation):
            return fire(message, process: process, incarnation: incarnation)
        case .start(let process, let incarnation):
            return start(process, incarnation: incarnation)
        case .fault(let fault):
            apply(fault)
            return true
        case .action(let action):
            action()
            return true
        case .empty:
            return false
        }
    }

    @inlinable func deliver(_ message: Message, from: ProcessID, to: ProcessID, incarnation: UInt32, sentAt: SimTime) -> Bool {
        let i = Int(to.index)
        if incarnations[i] != incarnation || statuses[i] == .crashed {
            record(.drop, to, peer: from, sentAt: sentAt, message: message, note: Self.downNote)
            return true
        }
        if statuses[i] == .paused {
            keepForResume(.deliver(message, from: from, to: to, incarnation: incarnation, sentAt: sentAt), for: to)
            return false
        }
        if !releasing.isEmpty, releasing[NetworkState.key(from, to)] != nil {
            // Held messages of this link were released and wait for their retransmission: this
            // one was sent after them, so it goes behind them.
            insertReleasing(Releasing(message: message, incarnation: incarnation, sentAt: sentAt), key: NetworkState.key(from, to))
            return true
        }
        if net.partitions.isCut(from: from, to: to) {
            if net.link(from: from, to: to).transport == .stream {
                hold(message, from: from, to: to, receiverIncarnation: incarnation, sentAt: sentAt, inFlight: true)
            } else {
                record(.drop, to, peer: from, sentAt: sentAt, message: message, note: Self.partitionNote)
            }
            return true
        }
        record(.deliver, to, peer: from, sentAt: sentAt, message: message)
        let context = ProcessContext(simulation: self, id: to)
        handlers[i].unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.receive(message, from: from, context) }
        return true
    }

    @inlinable func fire(_ message: Message, process: ProcessID, incarnation: UInt32) -> Bool {
        let i = Int(process.index)
        if incarnations[i] != incarnation || statuses[i] == .crashed { return false }
        if statuses[i] == .paused {
            keepForResume(.timer(message, process: process, incarnation: incarnation), for: process)
            return false
        }
        record(.timer, process, message: message)
        let context = ProcessContext(simulation: self, id: process)
        handlers[i].unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.timerFired(message, context) }
        return true
    }

    @usableFromInline func start(_ process: ProcessID, incarnation: UInt32) -> Bool {
        let i = Int(process.index)
        if incarnations[i] != incarnation || statuses[i] == .crashed { return false }
        if statuses[i] == .paused {
            keepForResume(.start(process, incarnation: incarnation), for: process)
            return false
        }
        var fields = TraceFields()
        fields.add("incarnation", Int(incarnation))
        record(.start, process, note: TraceNote(fields: fields))
        let context = ProcessContext(simulation: self, id: process)
        handlers[i].unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.start(context) }
        return true
    }

    /// Keeps an event for a paused process until it resumes.
    @usableFromInline func keepForResume(_ body: EventBody<Message>, for process: ProcessID) {
        hosts[Int(process.index)].deferred.append(body)
    }

    // MARK: Faults

    /// Injects `fault` now.
    public func apply(_ fault: Fault) {
        switch fault {
        case .partition(let name, let sideA, let sideB, let oneWay):
            let chosen = net.partitions.cut(name: name, sideA, sideB, oneWay: oneWay)
            var fields = TraceFields()
            fields.add("a", .list(sideA.map { .string(self.name(of: $0)) }))
            fields.add("b", .list(sideB.map { .string(self.name(of: $0)) }))
            fields.add("one_way", oneWay)
            record(.partition, .none, note: TraceNote(detail: chosen, fields: fields))
        case .heal(let name):
            let healed = name.map { net.partitions.heal($0) } ?? net.partitions.healAll()
            var fields = TraceFields()
            fields.add("healed", healed)
            record(.heal, .none, note: TraceNote(detail: name ?? "all", fields: fields))
            releaseHeld()
        case .crash(let process, let losingUnsynced):
            crash(process, losingUnsynced: losingUnsynced)
        case .restart(let process):
            restart(process)
        case .pause(let process):
            let i = Int(process.index)
            guard statuses[i] == .running else {
                record(.pause, process, note: TraceNote(detail: "ignored: \(statuses[i].rawValue)"))
                return
            }
            statuses[i] = .paused
            record(.pause, process)
        case .resume(let process):
            let i = Int(process.index)
            guard statuses[i] == .paused else {
                record(.resume, process, note: TraceNote(detail: "ignored: \(statuses[i].rawValue)"))
                return
            }
            statuses[i] = .running
            let waiting = hosts[i].deferred
            hosts[i].deferred = []
            var fields = TraceFields()
            fields.add("waiting", waiting.count)
            record(.resume, process, note: TraceNote(fields: fields))
            for body in waiting { _ = schedule(body, at: now) }
        case .clog(let process, let extraDelay):
            var p = net.perturbation(of: process)
            p.extraDelay = extraDelay
            net.setPerturbation(p, for: process)
            var fields = TraceFields()
            fields.add("extra", extraDelay)
            record(.clog, process, note: TraceNote(fields: fields))
        case .unclog(let process):
            var p = net.perturbation(of: process)
            p.extraDelay = .zero
            net.setPerturbation(p, for: process)
            record(.unclog, process)
        case .degrade(let process, let drop, let duplicate, let reorder):
            var p = net.perturbation(of: process)
            p.drop = drop
            p.duplicate = duplicate
            p.reorder = reorder
            net.setPerturbation(p, for: process)
            var fields = TraceFields()
            fields.add("drop", .double(drop))
            fields.add("duplicate", .double(duplicate))
            fields.add("reorder", .double(reorder))
            record(.degrade, process, note: TraceNote(fields: fields))
        case .restore(let process):
            var p = net.perturbation(of: process)
            p.drop = 0
            p.duplicate = 0
            p.reorder = 0
            net.setPerturbation(p, for: process)
            record(.restore, process)
        }
    }

    func crash(_ process: ProcessID, losingUnsynced: Int) {
        let i = Int(process.index)
        guard statuses[i] != .crashed else {
            record(.crash, process, note: TraceNote(detail: "ignored: crashed"))
            return
        }
        statuses[i] = .crashed
        handlers[i] = nil
        hosts[i].instance = nil
        hosts[i].dispatcher = nil
        incarnations[i] &+= 1
        hosts[i].deferred = []
        hosts[i].durable.processCrashed(losingUnsynced: losingUnsynced)
        net.resetLinks(of: process, processCount: hosts.count)
        var fields = TraceFields()
        if losingUnsynced > 0 { fields.add("losing_unsynced", losingUnsynced) }
        record(.crash, process, note: TraceNote(fields: fields))
    }

    func restart(_ process: ProcessID) {
        let i = Int(process.index)
        if statuses[i] != .crashed { crash(process, losingUnsynced: 0) }
        statuses[i] = .running
        // New connections: nothing queues behind what was sent to the dead incarnation.
        net.resetLinks(of: process, processCount: hosts.count)
        hosts[i].random = streams.stream("process/\(hosts[i].name)#\(incarnations[i])")
        let instance = hosts[i].make()
        let dispatcher = ProcessDispatcher.make(for: instance)
        hosts[i].instance = instance
        hosts[i].dispatcher = dispatcher
        handlers[i] = Unmanaged.passUnretained(dispatcher)
        record(.restart, process)
        _ = schedule(.start(process, incarnation: incarnations[i]), at: now)
    }

    /// Overrides the link `from → to` (nil restores the default).
    public func setLink(from: ProcessID, to: ProcessID, _ config: LinkConfig?) {
        net.setLink(from: from, to: to, config)
    }

    // MARK: Trace

    /// The run's fingerprint so far.
    public var fingerprint: UInt64 { recorder.fingerprint }

    /// Streams every rendered event to `sink` from now on (nil stops it).
    public func attach(sink: (any TraceSink)?) { recorder.sink = sink }

    /// Records a state change of `process` in the trace.
    public func recordState(of process: ProcessID, _ state: String, _ fields: TraceFields = TraceFields()) {
        record(.state, process, note: TraceNote(detail: state, fields: fields))
    }

    /// Records a harness note (a scenario step, a checker's finding) in the trace.
    public func recordNote(_ detail: String, process: ProcessID = .none, _ fields: TraceFields = TraceFields()) {
        record(.note, process, note: TraceNote(detail: detail, fields: fields))
    }

    /// The most recent trace events, rendered, oldest first.
    public var recentEvents: [TraceEvent] {
        recorder.recent.map { $0.record.rendered(note: $0.note, names: name(of:)) }
    }

    @inlinable func record(
        _ kind: TraceKind, _ process: ProcessID, peer: ProcessID = .none, sentAt: SimTime = .zero,
        message: borrowing Message? = nil
    ) {
        recorder.record(time: now, kind: kind, process: process, peer: peer, sentAt: sentAt, message: message,
                        names: { self.name(of: $0) })
    }

    @usableFromInline func record(
        _ kind: TraceKind, _ process: ProcessID, peer: ProcessID = .none, sentAt: SimTime = .zero,
        message: Message? = nil, note: TraceNote
    ) {
        recorder.record(
            TraceRecord(time: now, kind: kind, process: process, peer: peer, sentAt: sentAt, message: message),
            note: note, names: { self.name(of: $0) })
    }

    @inlinable static var partitionNote: TraceNote { TraceNote(detail: "partition") }
    @inlinable static var lossNote: TraceNote { TraceNote(detail: "loss") }
    @inlinable static var downNote: TraceNote { TraceNote(detail: "down") }
}
