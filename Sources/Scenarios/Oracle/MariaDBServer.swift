import Foundation
import Synchronization
import SimCluster
import SQLSyntax

/// A real MariaDB as the oracle, driven through its command-line client in batch mode (one
/// process per replay; about 50 µs per statement). Either simrun starts a private server on a
/// fresh data directory and a free port on 127.0.0.1, and stops it afterwards, or it uses a
/// running server's unix socket.
public final class MariaDBOracle: OracleDatabase {
    public private(set) var name = "mariadb"
    let socket: String
    let database: String
    let schema: String
    /// The private server this oracle started, if any.
    var server: Process?
    var directory: URL?

    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case failed(String)
        public var description: String {
            switch self {
            case .missing(let what): "\(what) not found: install mariadb-server and mariadb-client (apt-get install -y mariadb-server mariadb-client)"
            case .failed(let what): what
            }
        }
    }

    /// Starts a private server and creates a database with `schema`.
    public static func start(schema: String) throws -> MariaDBOracle {
        for tool in ["/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/mariadb"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure.missing(tool)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-mariadb-\(getpid())-\(Self.nextNumber())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = directory.appendingPathComponent("data").path
        let socket = directory.appendingPathComponent("mysqld.sock").path
        // A private temporary directory: a starting server clears temporary tables it finds in
        // its tmpdir, so servers starting at once in a shared /tmp break each other's bootstrap.
        let temporary = directory.appendingPathComponent("tmp").path
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        // Run as the current user (root in CI containers needs --user).
        let user = getuid() == 0 ? ["--user=root"] : []
        try Self.execute("/usr/bin/mariadb-install-db", ["--no-defaults", "--datadir=\(data)", "--auth-root-authentication-method=normal",
                                                        "--skip-test-db", "--tmpdir=\(temporary)"] + user)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        server.arguments = ["--no-defaults", "--datadir=\(data)", "--socket=\(socket)", "--pid-file=\(directory.path)/mysqld.pid", "--tmpdir=\(temporary)",
                            "--skip-networking", "--skip-log-bin", "--innodb-buffer-pool-size=64M",
                            "--log-error=\(directory.path)/err.log"] + user
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // Ready when the socket answers. A loaded CI machine starting several servers at once
        // can take many seconds; give up early only when the server has exited.
        var ready = false
        for _ in 0..<2_400 where server.isRunning {
            if FileManager.default.fileExists(atPath: socket),
               (try? Self.execute("/usr/bin/mariadb", ["--no-defaults", "-S", socket, "-uroot", "-e", "SELECT 1"])) != nil { ready = true; break }
            usleep(50_000)
        }
        guard ready else {
            let exited = !server.isRunning
            server.terminate()
            server.waitUntilExit()
            let log = (try? String(contentsOfFile: "\(directory.path)/err.log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: directory)
            throw Failure.failed("the private MariaDB server \(exited ? "exited" : "did not answer within 120 s"): \(log.suffix(500))")
        }
        let oracle = try MariaDBOracle(socket: socket, schema: schema)
        oracle.server = server
        oracle.directory = directory
        return oracle
    }

    /// Uses the server behind `socket`: creates a fresh database there with `schema`.
    public init(socket: String, schema: String) throws {
        self.socket = socket
        database = "vtsim_oracle_\(getpid())"
        self.schema = schema
        try reset()
        if let version = try? batch(["SELECT VERSION()"], database: nil).first?.rows.first?.first, case .text(let v) = version {
            name = "mariadb \(v)"
        }
    }

    deinit { stop() }

    public func reset() throws {
        let setup = ["DROP DATABASE IF EXISTS \(database)", "CREATE DATABASE \(database)", "USE \(database)"]
            + ((try? SQLScript.statements(schema)) ?? [])
        _ = try batch(setup, database: nil)
    }

    /// Stops the private server and removes its directory.
    public func stop() {
        guard let server else { return }
        _ = try? Self.execute("/usr/bin/mariadb-admin", ["--no-defaults", "-S", socket, "-uroot", "shutdown"])
        server.waitUntilExit()
        self.server = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    public func run(_ statements: [String]) throws -> [Result<QueryResult, MySQLError>] {
        try batchResults(statements, database: database)
    }

    /// Runs statements through one client process. A marker after each statement splits the
    /// output; `--force` goes on after errors, which the client prints as `ERROR code (state): text`.
    func batch(_ statements: [String], database: String?) throws -> [QueryResult] {
        try batchResults(statements, database: database).map { try $0.get() }
    }

    func batchResults(_ statements: [String], database: String?) throws -> [Result<QueryResult, MySQLError>] {
        // Statement i on line 2i+1, its marker on line 2i+2: the client's errors name their line.
        let marker = "@@vtsim-statement-end@@"
        var script = ""
        for sql in statements { script += sql.replacingOccurrences(of: "\n", with: " ") + ";\nSELECT '\(marker)';\n" }
        var output = (stdout: "", stderr: "")
        // A client that could not connect ran nothing (ERROR 2002): try again, a loaded machine
        // can refuse a connection for a moment.
        for attempt in 0..<5 {
            output = try Self.execute("/usr/bin/mariadb", ["--no-defaults", "-S", socket, "-uroot", "--batch", "--raw", "--force",
                                                           "--skip-column-names"] + (database.map { ["-D", $0] } ?? []),
                                      input: script, allowFailure: true)
            guard output.stdout.isEmpty, output.stderr.hasPrefix("ERROR 2002"), attempt < 4 else { break }
            usleep(200_000 << attempt)
        }
        var results: [Result<QueryResult, MySQLError>] = []
        var rows: [[SQLValue]] = []
        for line in output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == marker {
                results.append(.success(QueryResult(columns: [], rows: rows)))
                rows = []
            } else if !line.isEmpty || !rows.isEmpty {
                rows.append(line.split(separator: "\t", omittingEmptySubsequences: false).map { $0 == "NULL" ? .null : .text(String($0)) })
            }
        }
        guard results.count == statements.count else {
            throw Failure.failed("the MariaDB client answered \(results.count) of \(statements.count) statements: \(output.stderr.prefix(500))")
        }
        // `ERROR 1062 (23000) at line 5: Duplicate entry ...`
        for line in output.stderr.split(separator: "\n") where line.hasPrefix("ERROR ") {
            let words = line.split(separator: " ")
            guard words.count > 5, let code = Int(words[1]), let at = words.firstIndex(of: "line"), at + 1 < words.count,
                  let number = Int(words[at + 1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))), number % 2 == 1 else { continue }
            let index = (number - 1) / 2
            guard results.indices.contains(index) else { continue }
            let message = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? String(line)
            let state = String(words[2].trimmingCharacters(in: CharacterSet(charactersIn: "()")))
            results[index] = .failure(MySQLError(code: code, sqlState: state, message: message))
        }
        return results
    }

    /// Numbers for temporary files and directories, unique in this process (fuzz jobs run at once).
    static let counter = Atomic<Int>(0)
    static func nextNumber() -> Int { counter.add(1, ordering: .relaxed).newValue }

    @discardableResult
    static func execute(_ tool: String, _ arguments: [String], input: String? = nil, allowFailure: Bool = false) throws -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vtsim-mariadb-out-\(getpid())-\(Self.nextNumber())")
        let err = out.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let pipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : pipe
        try process.run()
        if let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if process.terminationStatus != 0 && !allowFailure { throw Failure.failed("\(tool) failed: \(stderr.prefix(500))") }
        return (stdout, stderr)
    }
}
