/// A tablet's identity as Vitess writes it: cell and uid, printed `zone1-0000000101`
/// (`topoproto.TabletAliasString`: the uid is zero-padded to ten digits).
public struct TabletAlias: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let cell: String
    public let uid: UInt32

    public init(cell: String, uid: UInt32) {
        self.cell = cell
        self.uid = uid
    }

    /// Parses `cell-uid` (the uid in decimal, padded or not); nil when malformed.
    public init?(parsing text: String) {
        guard let dash = text.lastIndex(of: "-") else { return nil }
        let cell = String(text[..<dash])
        let digits = text[text.index(after: dash)...]
        guard !cell.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isASCII), let uid = UInt32(digits) else { return nil }
        self.init(cell: cell, uid: uid)
    }

    public var description: String {
        let digits = String(uid)
        return cell + "-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    public static func < (a: TabletAlias, b: TabletAlias) -> Bool { (a.cell, a.uid) < (b.cell, b.uid) }
}
