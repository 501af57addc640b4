/// Where a query or a row goes in a keyspace, before shards are chosen (`go/vt/key/destination.go`).
public enum Destination: Sendable, Hashable {
    /// No shard: the value maps nowhere (NULL on a hash vindex, a non-numeric text).
    case none
    /// The one shard whose range holds the keyspace id.
    case keyspaceID([UInt8])
    /// Every shard whose range intersects.
    case keyRange(KeyRange)
    case allShards
    /// A shard named by the user (`USE ks/-80`, `ks:-80`).
    case shard(String)
}

/// A keyspace's serving shards with their ranges, in the order the serving graph lists them.
public struct ShardMap: Sendable {
    public struct Shard: Sendable, Hashable {
        public let name: String
        public let range: KeyRange
    }

    public let keyspace: String
    public let shards: [Shard]
    /// When the shards, in order, split the key space without gap or overlap at bounds of at
    /// most 8 bytes (as every even split does): each one's start as a number, for a binary search.
    let partitionStarts: [UInt64]?

    /// The shards named, in order; names that are not valid shard names are refused.
    public init?(keyspace: String, shardNames: [String]) {
        var shards: [Shard] = []
        for name in shardNames {
            guard let range = KeyRange(shardName: name) else { return nil }
            shards.append(Shard(name: name, range: range))
        }
        self.keyspace = keyspace
        self.shards = shards
        let contiguous = !shards.isEmpty && shards.first!.range.start.isEmpty && shards.last!.range.end.isEmpty
            && zip(shards, shards.dropFirst()).allSatisfy { $0.range.end == $1.range.start && !$1.range.start.isEmpty }
            && shards.allSatisfy { $0.range.start.count <= 8 && $0.range.end.count <= 8 }
        partitionStarts = contiguous ? shards.map { Self.number($0.range.start) } : nil
    }

    /// The first 8 bytes of a key, zero-padded, as a big-endian number: comparing these compares
    /// a key with a bound of at most 8 bytes as the byte strings compare.
    static func number(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
        return value
    }

    /// The shard holding a keyspace id.
    func shard(holding id: [UInt8]) -> Shard? {
        guard let starts = partitionStarts else { return shards.first { $0.range.contains(id) } }
        // The last shard starting at or before the key.
        let key = Self.number(id)
        var low = 0
        var high = starts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= key { low = middle } else { high = middle }
        }
        return shards[low]
    }

    /// The shards a destination reaches, in serving order. A keyspace id that no shard holds is
    /// an error, as in Vitess ("KeyspaceId ... didn't match any shards").
    public func resolve(_ destination: Destination) throws(DestinationError) -> [String] {
        switch destination {
        case .none:
            return []
        case .allShards:
            return shards.map(\.name)
        case .keyspaceID(let id):
            // The first shard whose range holds it (GetShardForKeyspaceID).
            guard let shard = shard(holding: id) else {
                throw DestinationError.noShard(keyspace: keyspace, keyspaceID: id)
            }
            return [shard.name]
        case .keyRange(let range):
            return shards.filter { $0.range.intersects(range) }.map(\.name)
        case .shard(let name):
            guard shards.contains(where: { $0.name == name }) else { throw DestinationError.unknownShard(keyspace: keyspace, shard: name) }
            return [name]
        }
    }

    /// The shard called `name`, or a clear error.
    public func resolveShard(_ name: String) throws(MySQLError) -> String {
        guard shards.contains(where: { $0.name == name }) else {
            throw MySQLError(code: 1105, sqlState: "HY000", message: DestinationError.unknownShard(keyspace: keyspace, shard: name).description)
        }
        return name
    }

    /// The shards several destinations reach together, each once, in serving order.
    public func resolve(_ destinations: [Destination]) throws(DestinationError) -> [String] {
        if destinations.count == 1 { return try resolve(destinations[0]) }
        var chosen: Set<String> = []
        for destination in destinations { chosen.formUnion(try resolve(destination)) }
        return shards.map(\.name).filter(chosen.contains)
    }
}

/// A destination that reaches no serving shard.
public enum DestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    case noShard(keyspace: String, keyspaceID: [UInt8])
    case unknownShard(keyspace: String, shard: String)

    public var description: String {
        switch self {
        case .noShard(let keyspace, let id):
            "KeyspaceId \(id.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()) didn't match any shards in keyspace \(keyspace)"
        case .unknownShard(let keyspace, let shard):
            "keyspace \(keyspace) has no shard \(shard)"
        }
    }
}
