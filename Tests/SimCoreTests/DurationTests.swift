import SimCore
import Testing

@Suite struct DurationTests {
    @Test(arguments: [
        ("250ms", Int64(250_000_000)), ("2s", 2_000_000_000), ("1m30s", 90_000_000_000),
        ("1.5s", 1_500_000_000), ("100us", 100_000), ("100µs", 100_000), ("10ns", 10), ("1h", 3_600_000_000_000),
        ("0", 0), ("0s", 0), ("-3ms", -3_000_000), ("1h2m3s4ms", 3_723_004_000_000), (" 5s ", 5_000_000_000),
    ])
    func parses(text: String, nanoseconds: Int64) {
        #expect(SimDuration(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test(arguments: ["", "s", "5", "5x", "1.s", "ms5", "1..2s", "1.0000000001s", "99999999999999h"])
    func rejects(text: String) {
        #expect(SimDuration(parsing: text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (250_000_000, "250ms"), (90_000_000_000, "1m30s"), (1_500_000_000, "1.5s"),
        (3_600_000_000_000, "1h"), (1_001, "1.001us"), (7_200_000_000_001, "2h1ns"), (-3_000_000, "-3ms"),
    ])
    func prints(nanoseconds: Int64, text: String) {
        #expect(SimDuration(nanoseconds: nanoseconds).description == text)
    }

    @Test func printedFormParsesBack() {
        var random = RandomStream(rootSeed: 9, label: "durations")
        for _ in 0..<5_000 {
            let magnitude = random.int(in: 0...18)
            var bound: Int64 = 1
            for _ in 0..<magnitude { bound *= 10 }
            let d = SimDuration(nanoseconds: random.int(in: -bound...bound))
            #expect(SimDuration(parsing: d.description) == d, "\(d.nanoseconds) printed as \(d)")
        }
    }

    @Test func latencyModelsParse() {
        #expect(LatencyModel(parsing: "2ms") == .fixed(.milliseconds(2)))
        #expect(LatencyModel(parsing: "1ms..5ms") == .uniform(min: .milliseconds(1), max: .milliseconds(5)))
        #expect(LatencyModel(parsing: "1.5ms..2.5ms") == .uniform(min: .microseconds(1500), max: .microseconds(2500)))
        #expect(LatencyModel(parsing: "longtail 1ms 3ms 1s")
                == .longTail(min: .milliseconds(1), median: .milliseconds(3), max: .seconds(1)))
        #expect(LatencyModel(parsing: "5ms..1ms") == nil)
        #expect(LatencyModel(parsing: "longtail 3ms 1ms 1s") == nil)
        #expect(LatencyModel(parsing: "fast") == nil)
        for model in [LatencyModel.fixed(.milliseconds(3)), .uniform(min: .microseconds(10), max: .seconds(1)),
                      .longTail(min: .milliseconds(1), median: .milliseconds(2), max: .milliseconds(90))] {
            #expect(LatencyModel(parsing: model.description) == model)
        }
    }
}
