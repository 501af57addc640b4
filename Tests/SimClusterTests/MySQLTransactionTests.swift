import SimCluster
import SimCore
import SQLSyntax
import Testing

/// Row locking, isolation, deadlocks, binlog and semi-sync of one node.
@Suite struct MySQLTransactionTests {
    let schema = """
        CREATE TABLE acct (id INT PRIMARY KEY, bal INT NOT NULL);
        CREATE TABLE u (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(16), UNIQUE KEY by_email (email));
        INSERT INTO acct VALUES (1, 100), (2, 100), (3, 100)
        """

    @Test func readsSeeCommittedDataAndTheirOwnWrites() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 50 WHERE id = 1", session: 1)
        try h.ok("INSERT INTO acct VALUES (4, 7)", session: 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id IN (1, 4) ORDER BY id", session: 1) == [[.integer(50)], [.integer(7)]])
        #expect(try h.rows("SELECT bal FROM acct WHERE id IN (1, 4) ORDER BY id", session: 2) == [[.integer(100)]])
        let commit = try h.ok("COMMIT", session: 1)
        #expect(commit.gtid == GTID(server: 101, sequence: 1))
        #expect(try h.rows("SELECT bal FROM acct WHERE id IN (1, 4) ORDER BY id", session: 2) == [[.integer(50)], [.integer(7)]])
    }

    @Test func aTransactionKeepsItsChangesOpenBetweenStatementsAndCommitsThem() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        for id in 1...3 { try h.ok("UPDATE acct SET bal = bal + \(id) WHERE id = \(id)", session: 1) }
        #expect(try h.rows("SELECT SUM(bal) FROM acct", session: 1) == [[.integer(306)]])
        try h.ok("COMMIT", session: 1)
        // One opening for the whole run of statements, and SQLite's own commit.
        #expect(h.storage.overlayCounts.opened == 1)
        #expect(h.storage.overlayCounts.committed == 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 2) == [[.integer(101)], [.integer(102)], [.integer(103)]])
        #expect(h.storage.binlog.count == 1)
    }

    @Test func anotherSessionBetweenStatementsSeesCommittedDataAndTheOverlayIsReplayed() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1", session: 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1", session: 2) == [[.integer(100)]])
        try h.ok("UPDATE acct SET bal = 2 WHERE id = 2", session: 2)
        try h.ok("UPDATE acct SET bal = bal + 10 WHERE id = 1", session: 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 1) == [[.integer(11)], [.integer(2)], [.integer(100)]])
        try h.ok("COMMIT", session: 1)
        #expect(h.storage.overlayCounts.opened == 2)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 3) == [[.integer(11)], [.integer(2)], [.integer(100)]])
    }

    @Test func aFailedStatementInATransactionUndoesItselfOnly() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 7 WHERE id = 3", session: 1)
        // Row 1 is updated before row 2 overflows INT: the statement as a whole has no effect.
        #expect(h.error("UPDATE acct SET bal = IF(id = 2, 3000000000, 0) WHERE id IN (1, 2) ORDER BY id", session: 1)?.code == 1264)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 1) == [[.integer(100)], [.integer(100)], [.integer(7)]])
        try h.ok("COMMIT", session: 1)
        #expect(h.storage.overlayCounts.opened == 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 2) == [[.integer(100)], [.integer(100)], [.integer(7)]])
    }

    @Test func aDuplicateKeyHalfwayThroughAStatementUndoesThatStatementOnly() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("INSERT INTO u (email) VALUES ('a'), ('b'), ('c')")
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE u SET email = 'z' WHERE id = 3", session: 1)
        #expect(h.error("UPDATE u SET email = 'same' WHERE id < 3", session: 1)?.code == 1062)
        try h.ok("REPLACE INTO u (id, email) VALUES (2, 'y')", session: 1)
        try h.ok("COMMIT", session: 1)
        #expect(try h.rows("SELECT email FROM u ORDER BY id", session: 2) == [[.text("a")], [.text("y")], [.text("z")]])
    }

    @Test func aWaitingReplaceInATransactionIsUndoneRowByRow() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("INSERT INTO u (email) VALUES ('a'), ('b')")
        try h.ok("BEGIN", session: 2)
        try h.ok("UPDATE u SET email = 'bb' WHERE id = 2", session: 2)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE u SET email = 'aa' WHERE id = 1", session: 1)
        // Deletes row 2 (and its unique key) then inserts: it must wait for session 2's lock.
        #expect(h.run("REPLACE INTO u (id, email) VALUES (2, 'r')", session: 1) == nil)
        let waiting = h.lastToken
        #expect(try h.rows("SELECT email FROM u ORDER BY id", session: 1) == [[.text("aa")], [.text("b")]])
        try h.ok("COMMIT", session: 2)
        #expect(try h.late[waiting]?.get().rowsAffected == 2)
        try h.ok("COMMIT", session: 1)
        #expect(try h.rows("SELECT email FROM u ORDER BY id", session: 3) == [[.text("aa")], [.text("r")]])
    }

    @Test func aWaitingStatementInATransactionIsUndoneUntilItRunsAgain() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 2)
        try h.ok("UPDATE acct SET bal = 0 WHERE id = 2", session: 2)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1", session: 1)
        #expect(h.run("UPDATE acct SET bal = bal + 5 WHERE id IN (1, 2)", session: 1) == nil)
        let waiting = h.lastToken
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 3) == [[.integer(100)], [.integer(100)], [.integer(100)]])
        try h.ok("COMMIT", session: 2)
        #expect(try h.late[waiting]?.get().rowsAffected == 2)
        try h.ok("COMMIT", session: 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 3) == [[.integer(6)], [.integer(5)], [.integer(100)]])
    }

    @Test func aRolledBackTransactionLeavesNothingBehindItsOverlay() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1", session: 1)
        try h.ok("ROLLBACK", session: 1)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 2 WHERE id = 2", session: 1)
        try h.ok("COMMIT", session: 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id", session: 2) == [[.integer(100)], [.integer(2)], [.integer(100)]])
        #expect(h.storage.overlayCounts.opened == 2)
    }

    @Test func transactionsOnDifferentRowsBothProceed() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("BEGIN", session: 2)
        #expect(h.run("UPDATE acct SET bal = bal - 10 WHERE id = 1", session: 1) != nil)
        #expect(h.run("UPDATE acct SET bal = bal - 10 WHERE id = 2", session: 2) != nil)
        try h.ok("COMMIT", session: 1)
        try h.ok("COMMIT", session: 2)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id") == [[.integer(90)], [.integer(90)], [.integer(100)]])
    }

    @Test func aConflictingWriteWaitsThenSeesTheCommittedValue() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = bal + 1 WHERE id = 1", session: 1)
        #expect(h.run("UPDATE acct SET bal = bal * 2 WHERE id = 1", session: 2) == nil)
        let waiting = h.lastToken
        #expect(h.engine.waitingTokens == [waiting])
        try h.ok("COMMIT", session: 1)
        #expect(try h.late[waiting]?.get().rowsAffected == 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1") == [[.integer(202)]])
    }

    @Test func lockWaitTimeoutEndsTheStatementNotTheTransaction() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("UPDATE acct SET bal = 0 WHERE id = 1", session: 1)
        try h.ok("BEGIN", session: 2)
        try h.ok("UPDATE acct SET bal = 5 WHERE id = 2", session: 2)
        #expect(h.run("UPDATE acct SET bal = 6 WHERE id = 1", session: 2) == nil)
        h.timeout(h.lastToken)
        #expect(h.late[h.lastToken].flatMap { if case .failure(let e) = $0 { e.code } else { nil } } == 1205)
        try h.ok("COMMIT", session: 2)
        try h.ok("ROLLBACK", session: 1)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id") == [[.integer(100)], [.integer(5)], [.integer(100)]])
    }

    @Test func aDeadlockRollsBackTheTransactionWithFewestChanges() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("BEGIN", session: 2)
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1", session: 1)
        try h.ok("UPDATE acct SET bal = 2 WHERE id = 2", session: 2)
        try h.ok("UPDATE acct SET bal = 3 WHERE id = 3", session: 2)
        #expect(h.run("UPDATE acct SET bal = 11 WHERE id = 2", session: 1) == nil)
        let victimToken = h.lastToken
        // Session 2 closes the cycle; session 1 has fewer changes and is the victim.
        let own = h.run("UPDATE acct SET bal = 22 WHERE id = 1", session: 2)
        #expect(own.map { if case .success = $0 { true } else { false } } == true)
        #expect(h.late[victimToken].flatMap { if case .failure(let e) = $0 { e.code } else { nil } } == 1213)
        try h.ok("COMMIT", session: 2)
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id") == [[.integer(22)], [.integer(2)], [.integer(3)]])
    }

    @Test func aRacingInsertOfTheSameUniqueKeyWaitsThenFailsOrSucceeds() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("INSERT INTO u (email) VALUES ('x@y')", session: 1)
        #expect(h.run("INSERT INTO u (email) VALUES ('X@Y')", session: 2) == nil)
        let waiting = h.lastToken
        try h.ok("COMMIT", session: 1)
        #expect(h.late[waiting].flatMap { if case .failure(let e) = $0 { e.code } else { nil } } == 1062)

        try h.ok("BEGIN", session: 1)
        try h.ok("INSERT INTO u (email) VALUES ('z@y')", session: 1)
        #expect(h.run("INSERT INTO u (email) VALUES ('z@y')", session: 2) == nil)
        let second = h.lastToken
        try h.ok("ROLLBACK", session: 1)
        #expect(try h.late[second]?.get().rowsAffected == 1)
    }

    /// Unique-key locks compare as the collation does: case, trailing spaces and (outside ASCII)
    /// accents fold; other texts do not wait.
    @Test func uniqueKeyLocksFoldAsTheCollationCompares() throws {
        let h = try EngineHarness(schema: schema)
        for (held, racing, waits) in [("ab ", "AB", true), ("José", "JOSE  ", true), ("cd", "cde", false), ("Zoë", "zoe!", false)] {
            try h.ok("BEGIN", session: 1)
            try h.ok("INSERT INTO u (email) VALUES ('\(held)')", session: 1)
            let answer = h.run("INSERT INTO u (email) VALUES ('\(racing)')", session: 2)
            #expect((answer == nil) == waits, "\(held) and \(racing)")
            try h.ok("ROLLBACK", session: 1)
        }
    }

    /// InnoDB's gap lock: a locking read of a key that is not there makes an insert of that key
    /// wait (Elle's list-append found the node without it: a G-single cycle).
    @Test func aLockingReadOfAMissingKeyBlocksItsInsert() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 42 FOR UPDATE", session: 1).isEmpty)
        #expect(h.run("INSERT INTO acct (id, bal) VALUES (42, 1)", session: 2) == nil)
        let blocked = h.lastToken
        #expect(h.run("INSERT INTO acct (id, bal) VALUES (43, 1)", session: 3) != nil, "another key does not wait")
        try h.ok("INSERT INTO acct (id, bal) VALUES (42, 7)", session: 1)
        try h.ok("COMMIT", session: 1)
        if case .failure(let e)? = h.late[blocked] { #expect(e.code == 1062) } else { Issue.record("the waiting insert should find the key taken: \(String(describing: h.late[blocked]))") }
    }

    /// InnoDB's next-key locks: a locking scan waits for another session's uncommitted insert
    /// (which it cannot see), and an insert waits for a locking scan (the bank workload found a
    /// total read that missed half of a transfer without them). Point reads lock only their key.
    @Test func aLockingScanAndAnInsertWaitForEachOther() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("INSERT INTO acct (id, bal) VALUES (50, 5)", session: 1)
        try h.ok("BEGIN", session: 2)
        #expect(h.run("SELECT id, bal FROM acct FOR UPDATE", session: 2) == nil)
        let scan = h.lastToken
        #expect(h.run("SELECT bal FROM acct WHERE id = 2 FOR UPDATE", session: 3) != nil, "a point read does not wait")
        try h.ok("COMMIT", session: 1)
        let rows = try #require(try h.late[scan]?.get().rows)
        #expect(rows.contains([.integer(50), .integer(5)]), "the scan sees the committed insert")
        #expect(h.run("INSERT INTO acct (id, bal) VALUES (51, 5)", session: 4) == nil, "an insert waits for the scan")
        let insert = h.lastToken
        try h.ok("COMMIT", session: 2)
        #expect(try h.late[insert]?.get().rowsAffected == 1)
    }

    /// A searched DELETE or UPDATE locks what it searched, as InnoDB's next-key locks do: a
    /// range waits for another session's uncommitted insert into the table and then changes that
    /// row; a key that is not there is locked too, so its insert waits (random CRUD checked by
    /// the oracle found a range delete that missed a row inserted just before it committed).
    @Test func searchedWritesWaitForInsertsTheyCouldMiss() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        try h.ok("INSERT INTO acct (id, bal) VALUES (60, 5)", session: 1)
        try h.ok("BEGIN", session: 2)
        #expect(h.run("DELETE FROM acct WHERE id BETWEEN 55 AND 65", session: 2) == nil, "the range delete waits for the insert")
        let delete = h.lastToken
        try h.ok("COMMIT", session: 1)
        #expect(try h.late[delete]?.get().rowsAffected == 1, "and then deletes the committed row")
        try h.ok("COMMIT", session: 2)
        #expect(try h.rows("SELECT id FROM acct WHERE id = 60", session: 3).isEmpty)

        try h.ok("BEGIN", session: 4)
        #expect(try h.run("UPDATE acct SET bal = 1 WHERE id = 70", session: 4)?.get().rowsAffected == 0)
        #expect(h.run("INSERT INTO acct (id, bal) VALUES (70, 1)", session: 1) == nil, "the missing key the update searched is locked")
        let insert = h.lastToken
        #expect(h.run("INSERT INTO acct (id, bal) VALUES (71, 1)", session: 2) != nil, "another key is not")
        try h.ok("COMMIT", session: 4)
        #expect(try h.late[insert]?.get().rowsAffected == 1)
    }

    @Test func lockingReadsBlockWriters() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN", session: 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 2 FOR UPDATE", session: 1) == [[.integer(100)]])
        #expect(h.run("DELETE FROM acct WHERE id = 2", session: 2) == nil)
        let blocked = h.lastToken
        #expect(h.run("DELETE FROM acct WHERE id = 3", session: 3) != nil)
        try h.ok("COMMIT", session: 1)
        #expect(try h.late[blocked]?.get().rowsAffected == 1)
    }

    @Test func savepointsUndoPartOfATransaction() throws {
        let h = try EngineHarness(schema: schema)
        try h.ok("BEGIN")
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1")
        try h.ok("SAVEPOINT s1")
        try h.ok("UPDATE acct SET bal = 2 WHERE id = 2")
        try h.ok("ROLLBACK TO SAVEPOINT s1")
        #expect(h.error("ROLLBACK TO SAVEPOINT nope")?.code == 1305)
        try h.ok("COMMIT")
        #expect(try h.rows("SELECT bal FROM acct ORDER BY id") == [[.integer(1)], [.integer(100)], [.integer(100)]])
    }

    @Test func readOnlyNodesRefuseClientWrites() throws {
        let h = try EngineHarness(schema: schema)
        h.engine.readOnly = true
        #expect(h.error("UPDATE acct SET bal = 0")?.code == 1290)
        #expect(h.error("CREATE TABLE t (a INT)")?.code == 1290)
        #expect(try h.rows("SELECT COUNT(*) FROM acct") == [[.integer(3)]])
        h.engine.openSession(9, privileged: true)
        #expect(try h.ok("UPDATE acct SET bal = 0 WHERE id = 1", session: 9).rowsAffected == 1)
    }

    @Test func theBinlogReplaysOnAReplica() throws {
        let primary = try EngineHarness(schema: schema)
        for i in 0..<20 {
            try primary.ok("INSERT INTO u (email) VALUES ('user\(i)')", session: 1 + i % 3)
            try primary.ok("UPDATE acct SET bal = bal + \(i) WHERE id = \(1 + i % 3)")
        }
        try primary.ok("DELETE FROM u WHERE id % 3 = 0")
        try primary.ok("CREATE TABLE later (k INT PRIMARY KEY)")
        try primary.ok("INSERT INTO later VALUES (1), (2)")
        let replica = try MySQLStorage(serverID: 102)
        try replica.bootstrap(schema)
        for entry in primary.storage.binlog { try replica.applyReplicated(entry) }
        #expect(try replica.checksums().map(\.checksum) == primary.storage.checksums().map(\.checksum))
        #expect(replica.executed == primary.storage.executed)
        #expect(primary.storage.executed.description == "101:1-43")
        // The replica's AUTO_INCREMENT follows what it applied.
        let promoted = try MySQLEngine(storage: replica, random: RandomStream(rootSeed: 2, label: "r"))
        promoted.readOnly = false
        promoted.openSession(1)
        let insert = promoted.execute("INSERT INTO u (email) VALUES ('new')", bindings: [], session: 1, token: 1, now: .zero)
        #expect(try insert.first?.result.get().insertID == 21)
    }

    @Test func underSemiSyncACommitIsInvisibleUntilAcknowledged() throws {
        let h = try EngineHarness(schema: schema)
        #expect(h.engine.setSemiSync(true, now: .zero).isEmpty)
        #expect(h.run("UPDATE acct SET bal = 0 WHERE id = 1", session: 1) == nil)
        let waiting = h.lastToken
        #expect(h.engine.tokensAwaitingAck == [waiting])
        // In the binlog (MySQL's gtid_executed, what replicas and reparents compare), not yet visible.
        let gtid = GTID(server: 101, sequence: 1)
        #expect(h.storage.binlogged.contains(gtid) && !h.storage.executed.contains(gtid))
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1", session: 2) == [[.integer(100)]])
        #expect(h.run("UPDATE acct SET bal = 9 WHERE id = 1", session: 2) == nil)
        let blocked = h.lastToken
        let completions = h.engine.acknowledge(upTo: GTID(server: 101, sequence: 1), now: .zero)
        #expect(completions.map(\.token) == [waiting, blocked] || completions.map(\.token) == [waiting])
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1", session: 3) != [[.integer(100)]])
    }

    @Test func aSemiSyncCommitHeldOpenUntilItsAckIsCommittedAsItStands() throws {
        let h = try EngineHarness(schema: schema)
        _ = h.engine.setSemiSync(true, now: .zero)
        // Autocommit: nothing uses the database before the ack, so SQLite commits the open transaction.
        #expect(h.run("UPDATE acct SET bal = 1 WHERE id = 1", session: 1) == nil)
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 1), now: .zero).map(\.token) == [h.lastToken])
        #expect(h.storage.overlayCounts.committedAfterAck == 1)
        // A transaction: its overlay is held the same way.
        try h.ok("BEGIN", session: 2)
        try h.ok("INSERT INTO u (email) VALUES ('a')", session: 2)
        #expect(h.run("COMMIT", session: 2) == nil)
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 2), now: .zero).count == 1)
        #expect(h.storage.overlayCounts.committedAfterAck == 2)
        // A read before the ack rolls the held transaction back; the ack then replays its changes.
        #expect(h.run("UPDATE acct SET bal = 2 WHERE id = 2", session: 1) == nil)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 2", session: 3) == [[.integer(100)]])
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 3), now: .zero).count == 1)
        #expect(h.storage.overlayCounts.committedAfterAck == 2)
        // Acks out of reach of the held one: the earlier entry is replayed first, the held one after.
        #expect(h.run("UPDATE acct SET bal = 3 WHERE id = 3", session: 1) == nil)
        #expect(h.run("INSERT INTO u (email) VALUES ('b')", session: 2) == nil)
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 5), now: .zero).count == 2)
        #expect(try h.rows("SELECT id, bal FROM acct ORDER BY id", session: 3) == [[.integer(1), .integer(1)], [.integer(2), .integer(2)], [.integer(3), .integer(3)]])
        #expect(try h.rows("SELECT id, email FROM u ORDER BY id", session: 3) == [[.integer(1), .text("a")], [.integer(2), .text("b")]])
        #expect(h.storage.executed.description == "101:1-5")
        // A crash while a commit is held: recovery applies it from the binlog.
        #expect(h.run("INSERT INTO u (email) VALUES ('c')", session: 1) == nil)
        h.storage.processCrashed(losingUnsynced: 0)
        let restarted = try MySQLEngine(storage: h.storage, random: RandomStream(rootSeed: 3, label: "r"))
        restarted.readOnly = false
        restarted.openSession(1)
        let rows = restarted.execute("SELECT email FROM u ORDER BY id", bindings: [], session: 1, token: 1, now: .zero)
        #expect(try rows.first?.result.get().rows == [[.text("a")], [.text("b")], [.text("c")]])
        // The next AUTO_INCREMENT value is past the held commit's.
        let insert = restarted.execute("INSERT INTO u (email) VALUES ('d')", bindings: [], session: 1, token: 2, now: .zero)
        #expect(try insert.first?.result.get().insertID == 4)
    }

    @Test func pointReadsAndInsertsOfOtherRowsRunBesideHeldCommits() throws {
        let h = try EngineHarness(schema: schema)
        _ = h.engine.setSemiSync(true, now: .zero)
        #expect(h.run("UPDATE acct SET bal = 7 WHERE id = 2", session: 1) == nil)
        // Other rows, by key: read beside the held commit, which stays open.
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1", session: 2) == [[.integer(100)]])
        #expect(try h.rows("SELECT id, bal FROM acct WHERE id IN (1, 3) ORDER BY id", session: 2) == [[.integer(1), .integer(100)], [.integer(3), .integer(100)]])
        // An insert of a new key commits beside it, held after it; one of a taken key fails there.
        #expect(h.run("INSERT INTO acct VALUES (4, 40), (5, 50)", session: 3) == nil)
        #expect(h.error("INSERT INTO acct VALUES (1, 10)", session: 4)?.code == 1062)
        #expect(h.storage.overlayCounts.readBeside == 2 && h.storage.overlayCounts.heldBeside == 1)
        // Readers do not see the inserted rows before the ack, nor the update.
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 1", session: 2) == [[.integer(100)]])
        // The first ack makes the update visible without ending the transaction; a read of its
        // row runs beside the insert still waiting.
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 1), now: .zero).count == 1)
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 2", session: 2) == [[.integer(7)]])
        #expect(h.storage.overlayCounts.readBeside == 4 && h.storage.overlayCounts.committedAfterAck == 0)
        // The second commits both as they stand: nothing is replayed.
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 2), now: .zero).count == 1)
        #expect(h.storage.overlayCounts.committedAfterAck == 1)
        #expect(try h.rows("SELECT id, bal FROM acct ORDER BY id", session: 2).map { $0[1] } == [.integer(100), .integer(7), .integer(100), .integer(40), .integer(50)])
        #expect(h.storage.executed.description == "101:1-2")

        // Anything else rolls the held commits back; the acknowledged ones are replayed at once,
        // the waiting ones at their acks.
        #expect(h.run("UPDATE acct SET bal = 8 WHERE id = 2", session: 1) == nil)
        #expect(h.run("INSERT INTO acct VALUES (6, 60)", session: 3) == nil)
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 3), now: .zero).count == 1)
        let reads = [
            "SELECT bal FROM acct WHERE id = 6",
            "SELECT COUNT(*) FROM acct WHERE bal > 0",
            "SELECT bal FROM acct WHERE id = '1'",
            "SELECT bal FROM acct WHERE id = 1 AND bal < (SELECT MAX(bal) + 1 FROM acct)",
        ]
        #expect(try h.rows(reads[0], session: 2) == [])
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 2", session: 2) == [[.integer(8)]])
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 4), now: .zero).count == 1)
        #expect(h.storage.overlayCounts.committedAfterAck == 1)
        #expect(try h.rows(reads[0], session: 2) == [[.integer(60)]])
        var sequence: Int64 = 4
        for read in reads.dropFirst() {
            sequence += 1
            #expect(h.run("UPDATE acct SET bal = bal + 1 WHERE id = 3", session: 1) == nil)
            _ = try h.rows(read, session: 2)
            #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: sequence), now: .zero).count == 1)
            #expect(h.storage.overlayCounts.committedAfterAck == 1, "\(read)")
        }
        // Inserts that cannot run beside: no key given (AUTO_INCREMENT), a key the held commit
        // changed, a table with another unique key.
        for insert in ["INSERT INTO acct (bal) VALUES (1)", "INSERT INTO acct VALUES (3, 1)", "INSERT INTO u (id, email) VALUES (9, 'z')"] {
            #expect(h.run("UPDATE acct SET bal = bal + 1 WHERE id = 3", session: 1) == nil)
            _ = h.run(insert, session: 3)
            _ = h.engine.completeAllAwaiting(now: .zero)
            #expect(h.storage.overlayCounts.heldBeside == 2, "\(insert)")
        }
        #expect(try h.rows("SELECT bal FROM acct WHERE id = 3", session: 2) == [[.integer(106)]])
    }

    @Test func aCrashWithAcknowledgedCommitsStillOpenKeepsThem() throws {
        let h = try EngineHarness(schema: schema)
        _ = h.engine.setSemiSync(true, now: .zero)
        #expect(h.run("INSERT INTO acct VALUES (4, 40)", session: 1) == nil)
        #expect(h.run("INSERT INTO acct VALUES (5, 50)", session: 2) == nil)
        #expect(h.storage.overlayCounts.heldBeside == 1)
        #expect(h.engine.acknowledge(upTo: GTID(server: 101, sequence: 1), now: .zero).count == 1)
        // The first is applied but not yet committed in SQLite; the crash must not lose it.
        h.storage.processCrashed(losingUnsynced: 0)
        #expect(h.storage.executed.description == "101:1")
        let restarted = try MySQLEngine(storage: h.storage, random: RandomStream(rootSeed: 3, label: "r"))
        restarted.readOnly = false
        restarted.openSession(1)
        let rows = restarted.execute("SELECT id FROM acct WHERE id > 3 ORDER BY id", bindings: [], session: 1, token: 1, now: .zero)
        #expect(try rows.first?.result.get().rows == [[.integer(4)], [.integer(5)]])
        #expect(h.storage.executed.description == "101:1-2")
    }

    @Test func aReconnectingSemiSyncReplicaAcknowledgesWhatItAlreadyHas() throws {
        let h = try EngineHarness(schema: schema)
        _ = h.engine.setSemiSync(true, now: .zero)
        #expect(h.run("UPDATE acct SET bal = 1 WHERE id = 1", session: 1) == nil)
        #expect(h.run("UPDATE acct SET bal = 2 WHERE id = 2", session: 2) == nil)
        #expect(h.run("UPDATE acct SET bal = 3 WHERE id = 3", session: 3) == nil)
        // It has the first two: those complete, in order; the third keeps waiting.
        let have = GTIDSet([GTID(server: 101, sequence: 1), GTID(server: 101, sequence: 2)])
        #expect(h.engine.acknowledge(covering: have, now: .zero).map(\.token) == [1, 2])
        #expect(h.engine.tokensAwaitingAck == [3])
        #expect(h.engine.acknowledge(covering: GTIDSet(), now: .zero).isEmpty)
    }

    @Test func aStorageFaultLosesTheLastUnsyncedCommits() throws {
        let h = try EngineHarness(schema: schema)
        h.storage.syncEveryCommit = false
        try h.ok("UPDATE acct SET bal = 1 WHERE id = 1")
        h.storage.sync()
        try h.ok("UPDATE acct SET bal = 2 WHERE id = 2")
        try h.ok("INSERT INTO acct VALUES (9, 9)")
        h.storage.processCrashed(losingUnsynced: 5)
        #expect(h.storage.lost == [GTID(server: 101, sequence: 3), GTID(server: 101, sequence: 2)])
        #expect(h.storage.executed.description == "101:1")
        let restarted = try MySQLEngine(storage: h.storage, random: RandomStream(rootSeed: 3, label: "r"))
        restarted.openSession(1)
        let rows = restarted.execute("SELECT id, bal FROM acct ORDER BY id", bindings: [], session: 1, token: 1, now: .zero)
        #expect(try rows.first?.result.get().rows == [[.integer(1), .integer(1)], [.integer(2), .integer(100)], [.integer(3), .integer(100)]])
    }
}
