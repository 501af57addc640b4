/// The default text collation of the nodes: case-insensitive, accent-insensitive for Latin
/// letters, trailing spaces ignored (PAD SPACE) — MariaDB's `utf8mb4_general_ci`. Implemented
/// without Foundation or ICU, so the order is the same on every machine.
enum MySQLCollation {
    /// Compares two texts under the collation (<0, 0, >0).
    static func compare(_ a: String, _ b: String) -> Int {
        let x = a.utf8
        let y = b.utf8
        if x.allSatisfy({ $0 < 0x80 }) && y.allSatisfy({ $0 < 0x80 }) {
            return compareASCII(Array(x), Array(y))
        }
        let kx = key(a)
        let ky = key(b)
        return kx == ky ? 0 : (kx.lexicographicallyPrecedes(ky) ? -1 : 1)
    }

    /// `compare` on UTF-8 bytes: ASCII text is compared in place.
    static func compare(bytes a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return compareASCII(a, b) }
        return compare(String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self))
    }

    static func compareASCII<C: RandomAccessCollection<UInt8>>(_ a: C, _ b: C) -> Int where C.Index == Int {
        var n = a.count
        var m = b.count
        while n > 0 && a[a.startIndex + n - 1] == 0x20 { n -= 1 }
        while m > 0 && b[b.startIndex + m - 1] == 0x20 { m -= 1 }
        var i = 0
        while i < n && i < m {
            let p = upper(a[a.startIndex + i])
            let q = upper(b[b.startIndex + i])
            if p != q { return p < q ? -1 : 1 }
            i += 1
        }
        return n == m ? 0 : (n < m ? -1 : 1)
    }

    static func upper(_ c: UInt8) -> UInt8 { c >= 0x61 && c <= 0x7A ? c - 0x20 : c }

    /// The collation key: trailing spaces dropped, each letter folded to its base uppercase form.
    static func key(_ text: String) -> [UInt32] {
        var scalars = Array(text.unicodeScalars)
        while scalars.last == " " { scalars.removeLast() }
        return scalars.map { fold($0) }
    }

    /// Appends `foldedText(text)`'s bytes to `bytes`.
    static func appendFoldedText(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        let ascii = text.withUTF8 { utf8 in
            for byte in utf8 where byte >= 0x80 { return false }
            var end = utf8.count
            while end > 0 && utf8[end - 1] == 0x20 { end -= 1 }
            for i in 0..<end { bytes.append(upper(utf8[i])) }
            return true
        }
        if !ascii { bytes.append(contentsOf: foldedText(text).utf8) }
    }

    /// The collation key as text (its scalars), so that two texts compare equal exactly when
    /// their folded texts are equal; ASCII text is folded byte by byte.
    static func foldedText(_ text: String) -> String {
        var text = text
        // ASCII (nearly every key): one pass over the bytes, no intermediate array.
        let ascii: String? = text.withUTF8 { bytes in
            var end = bytes.count
            for byte in bytes where byte >= 0x80 { return nil }
            while end > 0 && bytes[end - 1] == 0x20 { end -= 1 }
            return String(unsafeUninitializedCapacity: end) { folded in
                for i in 0..<end { folded[i] = upper(bytes[i]) }
                return end
            }
        }
        if let ascii { return ascii }
        return String(String.UnicodeScalarView(key(text).compactMap(Unicode.Scalar.init)))
    }

    static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = scalar.value
        if v < 0x80 { return UInt32(upper(UInt8(v))) }
        if let base = latinBase[v] { return base }
        let upperCased = scalar.properties.uppercaseMapping.unicodeScalars
        return upperCased.count == 1 ? upperCased.first!.value : v
    }

    /// Accented Latin letters and their base letters (general_ci folds them together).
    static let latinBase: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [:]
        let groups: [(String, Character)] = [
            ("ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "A"), ("ÇçĆćĈĉĊċČč", "C"), ("ĎďĐđ", "D"), ("ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "E"),
            ("ĜĝĞğĠġĢģ", "G"), ("ĤĥĦħ", "H"), ("ÌÍÎÏìíîïĨĩĪīĬĭĮįİı", "I"), ("Ĵĵ", "J"), ("Ķķ", "K"),
            ("ĹĺĻļĽľĿŀŁł", "L"), ("ÑñŃńŅņŇň", "N"), ("ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "O"), ("ŔŕŖŗŘř", "R"),
            ("ŚśŜŝŞşŠšß", "S"), ("ŢţŤťŦŧ", "T"), ("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "U"), ("Ŵŵ", "W"), ("ÝýÿŶŷŸ", "Y"),
            ("ŹźŻżŽž", "Z"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar.value] = base.unicodeScalars.first!.value }
        }
        return table
    }()
}
