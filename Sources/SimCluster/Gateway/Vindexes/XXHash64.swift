/// XXH64 (seed 0 by default), the hash behind Vitess's `xxhash` vindex.
enum XXHash64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    static func hash(_ input: [UInt8], seed: UInt64 = 0) -> UInt64 {
        let count = input.count
        var index = 0
        var h: UInt64
        func read64(_ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(input[i + $1]) << (8 * UInt64($1)) } }
        func read32(_ i: Int) -> UInt64 { (0..<4).reduce(0) { $0 | UInt64(input[i + $1]) << (8 * UInt64($1)) } }
        func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 { rotl(acc &+ lane &* prime2, 31) &* prime1 }
        func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 { (acc ^ round(0, value)) &* prime1 &+ prime4 }
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while index + 32 <= count {
                v1 = round(v1, read64(index))
                v2 = round(v2, read64(index + 8))
                v3 = round(v3, read64(index + 16))
                v4 = round(v4, read64(index + 24))
                index += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ prime5
        }
        h = h &+ UInt64(count)
        while index + 8 <= count {
            h = rotl(h ^ round(0, read64(index)), 27) &* prime1 &+ prime4
            index += 8
        }
        if index + 4 <= count {
            h = rotl(h ^ (read32(index) &* prime1), 23) &* prime2 &+ prime3
            index += 4
        }
        while index < count {
            h = rotl(h ^ (UInt64(input[index]) &* prime5), 11) &* prime1
            index += 1
        }
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h
    }

    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
}
