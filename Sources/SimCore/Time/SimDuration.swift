/// A span of virtual time in integer nanoseconds, written and read as people write durations
/// (`250ms`, `2s`, `1m30s`, `1.5s`).
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in nanoseconds.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimDuration(nanoseconds: 0)
    public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
    public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000) }
    public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000) }
    public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000_000) }
    public static func minutes(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 60_000_000_000) }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds + b.nanoseconds)
    }
    @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds)
    }
    @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds * k)
    }
    @inlinable public static func / (a: SimDuration, k: Int64) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds / k)
    }

    /// Units in the order they are printed; the parser accepts the same names plus `µs`.
    static let units: [(name: String, nanoseconds: Int64)] = [
        ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
        ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]

    /// Prints the shortest exact form: `0s`, `250ms`, `1m30s`, `1.5s`, `2h`, `-3ms`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        var rest = nanoseconds.magnitude
        var text = negative ? "-" : ""
        // Whole hours and minutes first, then the remainder in the largest unit that divides it
        // exactly, or as a decimal of the largest unit that fits.
        for (name, size) in Self.units.prefix(2) {
            let unit = UInt64(size)
            if rest >= unit {
                text += "\(rest / unit)\(name)"
                rest %= unit
            }
        }
        if rest == 0 { return text }
        for (name, size) in Self.units.dropFirst(2) {
            let unit = UInt64(size)
            guard rest >= unit else { continue }
            let whole = rest / unit
            var fraction = rest % unit
            text += "\(whole)"
            if fraction != 0 {
                var digits = ""
                var scale = unit / 10
                while fraction != 0 && scale > 0 {
                    digits += "\(fraction / scale)"
                    fraction %= scale
                    scale /= 10
                }
                text += "." + digits
            }
            return text + name
        }
        return text
    }

    /// Parses `250ms`, `2s`, `1m30s`, `1.5s`, `100us`, `10ns`, `1h`; a bare `0` is zero.
    public init?(parsing input: String) {
        var text = Substring(input.trimmingSpaces())
        guard !text.isEmpty else { return nil }
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        if text == "0" { self.init(nanoseconds: 0); return }
        var total: Int64 = 0
        var sawComponent = false
        while !text.isEmpty {
            let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty else { return nil }
            text = text.dropFirst(number.count)
            let unitName = text.prefix { $0.isLetter || $0 == "µ" }
            guard !unitName.isEmpty else { return nil }
            text = text.dropFirst(unitName.count)
            let key = unitName == "µs" ? "us" : String(unitName)
            guard let unit = Self.units.first(where: { $0.name == key })?.nanoseconds,
                  let value = Self.scaled(number, by: unit) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { return nil }
            total = sum
            sawComponent = true
        }
        guard sawComponent else { return nil }
        self.init(nanoseconds: negative ? -total : total)
    }

    /// `digits[.fraction]` times `unit`, exactly; nil when the fraction is finer than a nanosecond.
    private static func scaled(_ number: Substring, by unit: Int64) -> Int64? {
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0].isEmpty ? "0" : parts[0]) else { return nil }
        let (base, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return base }
        guard !parts[1].isEmpty else { return nil }
        var fraction: Int64 = 0
        var scale = unit
        for digit in parts[1] {
            guard let d = digit.wholeNumberValue else { return nil }
            scale /= 10
            if scale == 0 { if d != 0 { return nil } else { continue } }
            fraction += Int64(d) * scale
        }
        return base + fraction
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
