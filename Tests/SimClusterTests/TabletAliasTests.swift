import SimCluster
import Testing

@Suite struct TabletAliasTests {
    @Test func printsAsVitessDoes() {
        #expect(TabletAlias(cell: "zone1", uid: 101).description == "zone1-0000000101")
        #expect(TabletAlias(cell: "us-east-1a", uid: 4_294_967_295).description == "us-east-1a-4294967295")
    }

    @Test func parsesPaddedAndUnpadded() {
        #expect(TabletAlias(parsing: "zone1-0000000101") == TabletAlias(cell: "zone1", uid: 101))
        #expect(TabletAlias(parsing: "us-east-1a-7") == TabletAlias(cell: "us-east-1a", uid: 7))
        #expect(TabletAlias(parsing: "zone1") == nil)
        #expect(TabletAlias(parsing: "-101") == nil)
        #expect(TabletAlias(parsing: "zone1-x1") == nil)
        #expect(TabletAlias(parsing: "zone1-99999999999") == nil)
    }

    @Test func tabletTypesParseVitessNames() {
        #expect(TabletType(parsing: "primary") == .primary)
        #expect(TabletType(parsing: "MASTER") == .primary)
        #expect(TabletType(parsing: "rdonly") == .rdonly)
        #expect(TabletType(parsing: "spare") == nil)
    }
}
