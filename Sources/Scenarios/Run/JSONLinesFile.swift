import Foundation
import SimCore

/// Writes every trace event to a file as one JSON object per line.
public final class JSONLinesFile: TraceSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// Creates (or truncates) `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ScenarioError(file: path, "cannot create the trace file")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ScenarioError(file: path, "cannot open the trace file for writing")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ event: TraceEvent) {
        buffer.append(contentsOf: event.jsonLine.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    public func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() {
        flush()
        try? handle.close()
    }
}
