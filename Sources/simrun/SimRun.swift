import ArgumentParser
import Foundation
import Scenarios

/// The vtsim command-line tool.
@main
struct SimRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simrun",
        abstract: "Deterministic simulator and test harness for Vitess-style sharded MySQL clusters.",
        discussion: """
            Exit status: 0 when the verdict is the one the scenario expects, 1 when an invariant \
            broke or the verdict differs from the expected one, 2 for bad input (a missing or \
            malformed file, a bad flag).
            """,
        version: "vtsim \(VTSim.version)",
        subcommands: [RunCommand.self, FuzzCommand.self, ShrinkCommand.self, ReportCommand.self, MergeCommand.self, ExplainCommand.self, SLTCommand.self, BenchCommand.self])

    /// Parses and runs, mapping every kind of bad input to exit status 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ScenarioError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            Foundation.exit(2)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                exit(withError: error)  // --help, --version
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
