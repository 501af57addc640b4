import SimCluster
import SimCore
import Testing

/// Messages are copied several times on their way (event queue, trace ring, receiver): big
/// payloads are boxed so that a message stays small.
@Suite struct ClusterMessageLayoutTests {
    @Test func aMessageStaysSmall() {
        // A case with a payload of more than a few words must be `indirect`.
        #expect(MemoryLayout<ClusterMessage>.size <= 48)
        #expect(MemoryLayout<TraceRecord<ClusterMessage>>.size <= 96)
    }
}
