import Foundation
@testable import SimCluster
import Testing

/// Vitess's own vindex vectors (conformance data, read in place): every one must match.
@Suite struct VindexVectorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let vectorsFile = root.deletingLastPathComponent().appendingPathComponent("shared/conformance/vitess/vindex_vectors.json")

    struct Vector {
        let input: VindexValue
        let ksid: String?
    }

    static func vectors(_ kind: String) throws -> [Vector] {
        let data = try Data(contentsOf: vectorsFile)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(object[kind] as? [[String: Any]])
        return try list.map { entry in
            let type = try #require(entry["type"] as? String)
            let input: VindexValue
            switch type {
            case "null": input = .null
            case "int64": input = .signed(try #require((entry["input"] as? NSNumber)?.int64Value))
            case "uint64":
                let text = try #require(entry["input"] as? String)
                input = .unsigned(try #require(UInt64(text)))
            case "varchar":
                let text = try #require(entry["input"] as? String)
                input = .bytes(Array(text.utf8))
            default: throw VectorError.unknownType(type)
            }
            return Vector(input: input, ksid: entry["ksid"] as? String)
        }
    }

    enum VectorError: Error { case unknownType(String) }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test(arguments: ["hash", "xxhash"])
    func everyVectorMatches(kind: String) throws {
        let vindex = try #require(FunctionalVindex(rawValue: kind))
        let vectors = try Self.vectors(kind)
        #expect(vectors.count >= 9)
        for vector in vectors {
            #expect(vindex.keyspaceID(vector.input).map(Self.hex) == vector.ksid, "\(kind) of \(vector.input)")
        }
    }

    @Test func theShardExamplesMatch() throws {
        let data = try Data(contentsOf: Self.vectorsFile)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let examples = try #require(object["shard_examples"] as? [[String: Any]])
        #expect(examples.count == 3)
        for example in examples {
            let shards = try #require(example["shards"] as? [String])
            let ksidText = try #require(example["ksid"] as? String)
            let ksid = stride(from: 0, to: ksidText.count, by: 2).map { i -> UInt8 in
                let start = ksidText.index(ksidText.startIndex, offsetBy: i)
                return UInt8(ksidText[start..<ksidText.index(start, offsetBy: 2)], radix: 16)!
            }
            let chosen = shards.first { KeyRange(shardName: $0)!.contains(ksid) }
            #expect(chosen == example["shard"] as? String)
        }
    }

    @Test func hashIsReversibleAndTheOthersMapAsVitessDoes() {
        let hash = FunctionalVindex.hash
        for v: Int64 in [0, 1, 42, 1000, -1] {
            let ksid = hash.keyspaceID(.signed(v))!
            #expect(hash.reverse(ksid) == .unsigned(UInt64(bitPattern: v)))
        }
        // A text that is a number routes like the number; one that is not routes nowhere.
        #expect(hash.keyspaceID(.bytes(Array("3".utf8))) == hash.keyspaceID(.signed(3)))
        #expect(hash.keyspaceID(.bytes(Array("abc".utf8))) == nil)
        #expect(hash.keyspaceID(.null) == nil)
        #expect(Self.hex(hash.keyspaceID(.signed(100))!) == "83aab1569cbe1b08")
        #expect(Self.hex(FunctionalVindex.reverseBits.keyspaceID(.signed(3))!) == "c000000000000000")
        #expect(Self.hex(FunctionalVindex.numeric.keyspaceID(.signed(1))!) == "0000000000000001")
        #expect(FunctionalVindex.numeric.keyspaceID(.signed(-1)) == nil)
        #expect(FunctionalVindex.binary.keyspaceID(.bytes([0x9e, 0xfa])) == [0x9e, 0xfa])
    }

    /// Vitess's `unicode_loose_md5`: MD5 of the primary-level collation key, so case, accents and
    /// trailing spaces do not change the shard. The shards are those vtexplain's outputs show for
    /// these names on four shards (-40, 40-80, 80-c0, c0-).
    @Test func unicodeLooseMD5PlacesNamesWhereVitessDoes() throws {
        let map = try #require(ShardMap(keyspace: "ks", shardNames: ["-40", "40-80", "80-c0", "c0-"]))
        func shard(_ s: String) throws -> String {
            let id = try #require(FunctionalVindex.unicodeLooseMD5.keyspaceID(.bytes(Array(s.utf8))))
            return try map.resolve(.keyspaceID(id))[0]
        }
        for (name, expected) in [("bob", "c0-"), ("alice", "40-80"), ("a", "c0-"), ("b", "40-80"), ("c", "40-80"), ("name_val_2", "40-80")] {
            #expect(try shard(name) == expected, "\(name)")
        }
        let bob = FunctionalVindex.unicodeLooseMD5.keyspaceID(.bytes(Array("bob".utf8)))
        for variant in ["BOB", "Bób", "bob  "] {
            #expect(FunctionalVindex.unicodeLooseMD5.keyspaceID(.bytes(Array(variant.utf8))) == bob, "\(variant)")
        }
        #expect(UnicodeLooseKey.key("bob") == [0x16, 0x05, 0x17, 0x71, 0x16, 0x05])
    }
}
