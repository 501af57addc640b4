/// Runs steps one after another where each step ends by calling its continuation, at once (a
/// cursor over in-process shards) or later (replies arriving by message). Steps that end at once
/// are looped over rather than nested, so thousands of rows do not deepen the stack.
enum SequentialSteps {
    /// Calls `step(i, next)` for i in 0..<count; `next(true)` goes on, `next(false)` stops
    /// (the step has reported a failure itself). `finished` runs once after the last step.
    static func run(_ count: Int, step: @escaping (Int, @escaping (Bool) -> Void) -> Void, finished: @escaping () -> Void) {
        var index = 0
        var stopped = false
        func drive() {
            while index < count && !stopped {
                var synchronous = true
                var completed = false
                step(index) { proceed in
                    if !proceed { stopped = true }
                    index += 1
                    completed = true
                    if !synchronous && !stopped { drive() }
                }
                synchronous = false
                if !completed { return }
            }
            if !stopped && index == count {
                index += 1  // finish once
                finished()
            }
        }
        drive()
    }
}
