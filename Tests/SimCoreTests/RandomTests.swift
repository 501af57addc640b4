import SimCore
import Testing

/// Known answers computed with the authors' reference C code (splitmix64.c, xoshiro256starstar.c).
@Suite struct RandomTests {
    @Test func splitMix64KnownAnswers() {
        var g = SplitMix64(seed: 1_234_567)
        let values = (0..<5).map { _ in g.next() }
        #expect(values == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                           4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    @Test func xoshiroKnownAnswers() {
        var g = Xoshiro256StarStar(seed: 0)
        let values = (0..<5).map { _ in g.next() }
        #expect(values == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082, 1_900_383_378_846_508_768,
                           7_684_712_102_626_143_532, 13_521_403_990_117_723_737])
    }

    @Test func fnvKnownAnswers() {
        #expect(FNV1a.hash("") == 14_695_981_039_346_656_037)
        #expect(FNV1a.hash("a") == 12_638_187_200_555_641_996)
        #expect(FNV1a.hash("network") == 2_201_793_692_272_634_501)
    }

    @Test(arguments: [
        (UInt64(1), "network", [UInt64(1_927_002_826_824_336_709), 14_656_539_408_204_888_012,
                                15_637_479_455_730_940_567, 3_648_011_415_620_409_873]),
        (1, "faults", [448_448_705_904_961_017, 8_892_581_924_929_292_244, 1_864_957_596_897_042_895,
                       8_190_353_015_846_237_871]),
        (42, "process/zone1-0000000101", [12_929_747_086_243_103_771, 3_697_371_847_068_633_432,
                                          3_868_120_959_597_015_161, 6_428_094_297_134_718_582]),
    ])
    func namedStreamKnownAnswers(seed: UInt64, label: String, expected: [UInt64]) {
        var stream = RandomStreams(rootSeed: seed).stream(label)
        #expect((0..<4).map { _ in stream.next() } == expected)
    }

    @Test func uniformStaysInRangeAndCoversIt() {
        var stream = RandomStream(rootSeed: 3, label: "uniform")
        var seen = Set<Int64>()
        for _ in 0..<10_000 {
            let v = stream.int(in: -3...3)
            #expect((-3...3).contains(v))
            seen.insert(v)
        }
        #expect(seen.count == 7)
        #expect(stream.int(in: Int64.min...Int64.max) != stream.int(in: Int64.min...Int64.max))
    }

    @Test func chanceMatchesItsProbability() {
        var stream = RandomStream(rootSeed: 4, label: "chance")
        let hits = (0..<100_000).filter { _ in stream.chance(0.25) }.count
        #expect((24_000...26_000).contains(hits))
        #expect(!(0..<1000).contains { _ in stream.chance(0) })
        #expect((0..<1000).allSatisfy { _ in stream.chance(1) })
    }

    /// Adding a process (a new stream label) leaves the values every other process draws unchanged.
    @Test func addingAProcessDoesNotShiftAnotherStream() {
        func draws(withExtraProcess: Bool) -> [UInt64] {
            let simulation = makeSimulation(seed: 77)
            var values: [UInt64] = []
            if withExtraProcess {
                simulation.addProcess(named: "extra") {
                    Recorder(log: Log(), onStart: { context in _ = context.random { $0.next() } })
                }
            }
            simulation.addProcess(named: "subject") {
                Recorder(log: Log(), onStart: { context in
                    for _ in 0..<5 { values.append(context.random { $0.next() }) }
                })
            }
            simulation.run()
            return values
        }
        let alone = draws(withExtraProcess: false)
        #expect(alone.count == 5)
        #expect(alone == draws(withExtraProcess: true))
    }
}
