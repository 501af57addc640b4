/// A MySQL data type as written in DDL or CAST: `INT(11) UNSIGNED`, `DECIMAL(10,2)`,
/// `VARCHAR(64) COLLATE utf8mb4_bin`, `ENUM('a','b')`.
public struct SQLType: Hashable, Sendable, CustomStringConvertible {
    /// The type name, uppercased, with synonyms kept (`INTEGER`, `INT`, `BOOL`).
    public var name: String
    /// Length or precision: `VARCHAR(64)`, `DECIMAL(10, 2)`'s 10.
    public var length: Int?
    /// Scale: `DECIMAL(10, 2)`'s 2.
    public var scale: Int?
    public var unsigned: Bool
    public var zerofill: Bool
    /// `ENUM`/`SET` members.
    public var members: [String]
    public var charset: String?
    public var collation: String?

    public init(name: String, length: Int? = nil, scale: Int? = nil, unsigned: Bool = false, zerofill: Bool = false,
                members: [String] = [], charset: String? = nil, collation: String? = nil) {
        self.name = name
        self.length = length
        self.scale = scale
        self.unsigned = unsigned
        self.zerofill = zerofill
        self.members = members
        self.charset = charset
        self.collation = collation
    }

    /// What kind of values the type holds.
    public enum Family: Sendable, Equatable { case integer, decimal, float, text, binary, temporal, bit, json, enumeration }

    public var family: Family {
        switch name {
        case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "BOOL", "BOOLEAN", "SIGNED", "UNSIGNED", "YEAR", "SERIAL":
            .integer
        case "DECIMAL", "DEC", "NUMERIC", "FIXED": .decimal
        case "FLOAT", "DOUBLE", "REAL", "DOUBLE PRECISION": .float
        case "CHAR", "VARCHAR", "TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "NCHAR", "NVARCHAR", "CHARACTER", "NATIONAL CHAR": .text
        case "BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB": .binary
        case "DATE", "DATETIME", "TIMESTAMP", "TIME": .temporal
        case "BIT": .bit
        case "JSON": .json
        case "ENUM", "SET": .enumeration
        default: .text
        }
    }

    /// The range of an integer type, or nil (BIGINT UNSIGNED's top half does not fit Int64).
    public var integerRange: ClosedRange<Int64>? {
        switch (name, unsigned) {
        case ("TINYINT", false), ("BOOL", _), ("BOOLEAN", _): -128...127
        case ("TINYINT", true): 0...255
        case ("SMALLINT", false): -32_768...32_767
        case ("SMALLINT", true): 0...65_535
        case ("MEDIUMINT", false): -8_388_608...8_388_607
        case ("MEDIUMINT", true): 0...16_777_215
        case ("INT", false), ("INTEGER", false): -2_147_483_648...2_147_483_647
        case ("INT", true), ("INTEGER", true): 0...4_294_967_295
        case ("BIGINT", false), ("SIGNED", _): Int64.min...Int64.max
        case ("BIGINT", true), ("UNSIGNED", _), ("SERIAL", _): 0...Int64.max
        case ("YEAR", _): 0...2155
        default: nil
        }
    }

    public var description: String {
        var text = name
        if !members.isEmpty {
            text += "(" + members.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",") + ")"
        } else if let length {
            text += "(\(length)" + (scale.map { ",\($0)" } ?? "") + ")"
        }
        if unsigned { text += " UNSIGNED" }
        if zerofill { text += " ZEROFILL" }
        if let charset { text += " CHARACTER SET \(charset)" }
        if let collation { text += " COLLATE \(collation)" }
        return text
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
