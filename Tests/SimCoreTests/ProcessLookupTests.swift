import SimCore
import Testing

@Suite struct ProcessLookupTests {
    /// The lookup answers as the kernel's name table does, follows a changed name, and finds
    /// nothing for a name no process has (without keeping that miss).
    @Test func aLookupAnswersAsTheNameTableAndFollowsTheName() {
        let simulation = makeSimulation(link: LinkConfig(latency: .fixed(.milliseconds(1))))
        var found: [ProcessID?] = []
        var lookup = ProcessLookup()
        let a = simulation.addProcess(named: "a") { Recorder(log: Log()) }
        let b = simulation.addProcess(named: "b") { Recorder(log: Log()) }
        _ = simulation.addProcess(named: "c") {
            Recorder(log: Log(), onStart: { context in
                found.append(lookup.id(of: "a", in: context))
                found.append(lookup.id(of: "a", in: context))
                found.append(lookup.id(of: "b", in: context))
                found.append(lookup.id(of: "nobody", in: context))
                found.append(lookup.id(of: "b", in: context))
            })
        }
        simulation.run(until: SimTime(nanoseconds: 1_000_000))
        #expect(found == [a, a, b, nil, b])
    }
}
