import CSQLite

/// Custom SQL functions and collations, implemented in Swift.
extension Connection {
    /// A scalar function's implementation: arguments in, value out; a thrown error becomes an SQL
    /// error with its description.
    public typealias ScalarFunction = ([SQLiteValue]) throws -> SQLiteValue

    /// Registers (or replaces) the scalar function `name` taking `argumentCount` arguments (-1 for
    /// any). `deterministic` lets SQLite use it in indexes and factor constant calls out.
    public func createFunction(_ name: String, argumentCount: Int32, deterministic: Bool = true, _ body: @escaping ScalarFunction) throws {
        try createFastFunction(name, argumentCount: argumentCount, deterministic: deterministic) { arguments in
            .value(try body((0..<arguments.count).map { arguments[$0] }))
        }
    }

    /// Registers the collation `name`: `compare` orders two UTF-8 texts (<0, 0, >0).
    public func createCollation(_ name: String, _ compare: @escaping (String, String) -> Int) throws {
        try createCollation(name, bytes: { a, b in
            compare(String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self))
        })
    }

    /// Registers a collation that compares the UTF-8 bytes in place (index searches call it
    /// for every key they pass, so making strings of them first is measurable).
    public func createCollation(_ name: String, bytes compare: @escaping (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Int) throws {
        let box = CollationBox(compare)
        retain(box)
        let code = sqlite3_create_collation_v2(
            handle, name, SQLITE_UTF8, Unmanaged.passUnretained(box).toOpaque(),
            { context, leftCount, left, rightCount, right in
                let box = Unmanaged<CollationBox>.fromOpaque(context!).takeUnretainedValue()
                let order = box.compare(
                    UnsafeRawBufferPointer(start: left, count: Int(leftCount)),
                    UnsafeRawBufferPointer(start: right, count: Int(rightCount)))
                return order < 0 ? -1 : (order > 0 ? 1 : 0)
            }, nil)
        guard code == SQLITE_OK else { throw SQLiteError.last(handle, code: code) }
    }
}

final class CollationBox {
    let compare: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Int
    init(_ compare: @escaping (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Int) { self.compare = compare }
}

func setResult(_ value: SQLiteValue, _ context: OpaquePointer?) {
    switch value {
    case .null: sqlite3_result_null(context)
    case .integer(let v): sqlite3_result_int64(context, v)
    case .real(let v): sqlite3_result_double(context, v)
    case .text(let v):
        v.withCString { csqlite_result_text_transient(context, $0, Int32(v.utf8.count)) }
    case .blob(let v):
        v.withUnsafeBytes { csqlite_result_blob_transient(context, $0.baseAddress, Int32($0.count)) }
    }
}

/// The arguments of a function call, read in place (no array is built).
public struct FunctionArguments {
    public let count: Int
    let values: UnsafeMutablePointer<OpaquePointer?>?

    public var isEmpty: Bool { count == 0 }

    func raw(_ i: Int) -> OpaquePointer? { i < count ? values?[i] : nil }

    /// SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    public func type(_ i: Int) -> Int32 { sqlite3_value_type(raw(i)) }
    public func int64(_ i: Int) -> Int64 { sqlite3_value_int64(raw(i)) }
    public func double(_ i: Int) -> Double { sqlite3_value_double(raw(i)) }
    public func isNull(_ i: Int) -> Bool { type(i) == SQLITE_NULL }
    /// The argument's length in bytes (text or blob).
    public func byteCount(_ i: Int) -> Int { Int(sqlite3_value_bytes(raw(i))) }
    /// The argument as a full value.
    public subscript(i: Int) -> SQLiteValue { SQLiteValue(raw(i)) }
}

/// What a fast function returns: a new value, or one of its arguments unchanged (no copy).
public enum FunctionResult {
    case value(SQLiteValue)
    case argument(Int)
}

extension Connection {
    /// Registers a scalar function that reads its arguments in place (for hot functions).
    public func createFastFunction(_ name: String, argumentCount: Int32, deterministic: Bool = true,
                                       _ body: @escaping (FunctionArguments) throws -> FunctionResult) throws {
        let box = FastFunctionBox(body)
        retain(box)
        var flags = SQLITE_UTF8
        if deterministic { flags |= SQLITE_DETERMINISTIC }
        let code = sqlite3_create_function_v2(
            handle, name, argumentCount, flags, Unmanaged.passUnretained(box).toOpaque(),
            { context, count, values in
                let box = Unmanaged<FastFunctionBox>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
                do {
                    switch try box.body(FunctionArguments(count: Int(count), values: values)) {
                    case .value(let value): setResult(value, context)
                    case .argument(let i): sqlite3_result_value(context, values?[i])
                    }
                } catch {
                    let message = "\(error)"
                    sqlite3_result_error(context, message, Int32(message.utf8.count))
                }
            }, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError.last(handle, code: code) }
    }
}

final class FastFunctionBox {
    let body: (FunctionArguments) throws -> FunctionResult
    init(_ body: @escaping (FunctionArguments) throws -> FunctionResult) { self.body = body }
}
