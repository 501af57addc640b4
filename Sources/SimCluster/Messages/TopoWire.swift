import SimCore

/// A request to the topology service.
public enum TopoRequest: Sendable, Equatable {
    case get(String)
    /// Every key with the prefix, with its value and version, in key order.
    case list(prefix: String)
    /// Create `key`; fails if it exists.
    case create(String, TopoValue)
    /// Replace `key` if its version is still `expected` (compare-and-set).
    case update(String, TopoValue, expected: Int)
    /// Delete `key` if its version is `expected` (nil: whatever its version).
    case delete(String, expected: Int?)
    /// Notify me of every change under the prefix for `lease` (renew before it ends).
    case watch(prefix: String, lease: SimDuration)
    /// Take the lock `key` for `lease` unless someone else holds it.
    case lock(String, owner: String, lease: SimDuration)
    case unlock(String, owner: String)
}

/// The topology service's answer.
public enum TopoReply: Sendable, Equatable {
    case value(TopoValue?, version: Int)
    case entries([TopoEntry])
    case done(version: Int)
    case failed(TopoError)
}

/// One stored key.
public struct TopoEntry: Sendable, Equatable {
    public let key: String
    public let value: TopoValue
    public let version: Int

    public init(key: String, value: TopoValue, version: Int) {
        self.key = key
        self.value = value
        self.version = version
    }
}

public enum TopoError: String, Sendable, Equatable {
    case noNode = "node doesn't exist"
    case nodeExists = "node already exists"
    case badVersion = "bad node version"
    case locked = "lock already held"
}
