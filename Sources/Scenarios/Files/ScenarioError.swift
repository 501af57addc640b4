/// Bad input: a scenario file that cannot be read or does not say something valid. Always names
/// the place, so that a person can fix it.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public let location: SourceLocation?
    public let file: String
    public let message: String

    public init(at location: SourceLocation, _ message: String) {
        self.location = location
        file = location.file
        self.message = message
    }

    public init(file: String, _ message: String) {
        location = nil
        self.file = file
        self.message = message
    }

    public var description: String {
        "\(location?.description ?? file): error: \(message)"
    }
}
