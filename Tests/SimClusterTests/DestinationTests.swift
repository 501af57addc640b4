import SimCluster
import SimCore
import Testing

/// Shard choice as Vitess makes it: first range that holds the id, intersecting ranges, none.
@Suite struct DestinationTests {
    func map(_ names: [String]) -> ShardMap { ShardMap(keyspace: "ks", shardNames: names)! }

    @Test func hashedIdsLandWhereVitessPutsThem() throws {
        let four = map(KeyRange.evenShardNames(4))
        let eight = map(KeyRange.evenShardNames(8))
        // The table of reference/vitess.md §3.4: id → shard among 4 and among 8.
        let expected: [(Int64, String, String)] = [(0, "80-c0", "80-a0"), (1, "-40", "-20"), (2, "-40", "-20"), (3, "40-80", "40-60"),
                                                  (4, "c0-", "c0-e0"), (5, "40-80", "60-80"), (6, "c0-", "e0-")]
        for (id, inFour, inEight) in expected {
            let ksid = try #require(FunctionalVindex.hash.keyspaceID(.signed(id)))
            #expect(try four.resolve(.keyspaceID(ksid)) == [inFour], "id \(id)")
            #expect(try eight.resolve(.keyspaceID(ksid)) == [inEight], "id \(id)")
        }
    }

    /// A keyspace id goes to the shard whose range holds it, whether the map searches its
    /// partition (even and uneven splits) or scans its ranges (a gap, or a bound past 8 bytes).
    @Test(arguments: [KeyRange.evenShardNames(64), ["-80", "80-90", "90-a0", "a0-e8", "e8-"],
                      ["-40", "40-8000000000000001", "8000000000000001-"], ["-40", "80-"]])
    func aKeyspaceIDGoesToTheRangeThatHoldsIt(names: [String]) throws {
        let shards = map(names)
        var random = SplitMix64(seed: 7)
        for length in [0, 1, 3, 8, 9, 16] {
            for _ in 0..<300 {
                let id = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                let holder = shards.shards.first { $0.range.contains(id) }
                if let holder {
                    #expect(try shards.resolve(.keyspaceID(id)) == [holder.name], "\(id)")
                } else {
                    #expect(throws: DestinationError.self) { try shards.resolve(.keyspaceID(id)) }
                }
            }
        }
    }

    @Test func unevenShardsAndRangesResolveByteWise() throws {
        let uneven = map(["-80", "80-90", "90-a0", "a0-e8", "e8-"])
        #expect(try uneven.resolve(.keyspaceID([0x95, 0x01])) == ["90-a0"])
        #expect(try uneven.resolve(.keyspaceID([0xe8])) == ["e8-"])
        #expect(try uneven.resolve(.keyRange(KeyRange(shardName: "88-a8")!)) == ["80-90", "90-a0", "a0-e8"])
        #expect(try uneven.resolve(.none).isEmpty)
        #expect(try uneven.resolve(.allShards).count == 5)
        #expect(try uneven.resolve([.keyspaceID([0x01]), .keyspaceID([0xf0]), .keyspaceID([0x02])]) == ["-80", "e8-"])
    }

    @Test func idsNoShardHoldsAndUnknownShardsAreErrors() {
        let half = map(["-80"])
        #expect(throws: DestinationError.noShard(keyspace: "ks", keyspaceID: [0x90])) { try half.resolve(.keyspaceID([0x90])) }
        #expect(throws: DestinationError.unknownShard(keyspace: "ks", shard: "80-")) { try half.resolve(.shard("80-")) }
        #expect(ShardMap(keyspace: "ks", shardNames: ["80-40"]) == nil)
    }
}
