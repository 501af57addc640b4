/// The root seed of a run and the named streams derived from it.
public struct RandomStreams: Sendable {
    /// The run's root seed.
    public let rootSeed: UInt64

    public init(rootSeed: UInt64) { self.rootSeed = rootSeed }

    /// The stream for `label`; the same label always gives the same stream under this seed.
    public func stream(_ label: String) -> RandomStream {
        RandomStream(rootSeed: rootSeed, label: label)
    }
}
