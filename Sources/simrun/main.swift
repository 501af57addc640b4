let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 10_000_000
let bench = KernelBenchmark(events: n, processes: 100, tokensPerProcess: 10, repetitions: 5)
let f = bench.measure()
print("kernel \(f.kernelEventsPerSecond / 1e6) M/s heap \(f.heapEventsPerSecond / 1e6) M/s ratio \(f.ratio) fp \(f.fingerprint)")
