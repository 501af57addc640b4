import CSQLite
import SQLiteKit
import Testing

@Suite struct ConnectionTests {
    func accounts() throws -> Connection {
        let db = try Connection()
        try db.executeScript("""
            CREATE TABLE account(id INTEGER PRIMARY KEY, owner TEXT NOT NULL UNIQUE, balance REAL, photo BLOB);
            INSERT INTO account VALUES (1, 'ann', 10.5, x'00ff'), (2, 'bob', NULL, NULL);
            """)
        return db
    }

    @Test func typedBindsAndColumnsRoundTrip() throws {
        let db = try accounts()
        let values: [SQLiteValue] = [.integer(3), .text("cé\u{0}x"), .real(-0.25), .blob([1, 2, 3])]
        try db.execute("INSERT INTO account VALUES (?, ?, ?, ?)", values)
        #expect(try db.query("SELECT * FROM account WHERE id = ?", [.integer(3)]) == [values])
        #expect(try db.query("SELECT * FROM account WHERE id = 2") == [[.integer(2), .text("bob"), .null, .null]])
        let statement = try db.prepare("SELECT owner, length(owner) FROM account ORDER BY id")
        #expect(statement.columnCount == 2)
        #expect(statement.columnName(0) == "owner")
        #expect(statement.declaredType(0) == "TEXT")
        #expect(try statement.step())
        #expect(statement.text(at: 0) == "ann")
        #expect(statement.int64(at: 1) == 3)
        statement.reset()
    }

    @Test func statementsAreCachedAndReusable() throws {
        let db = try accounts()
        let first = try db.prepare("SELECT balance FROM account WHERE id = ?")
        let second = try db.prepare("SELECT balance FROM account WHERE id = ?")
        #expect(first === second)
        #expect(try first.query([.integer(1)]) == [[.real(10.5)]])
        #expect(try second.query([.integer(2)]) == [[.null]])
        #expect(first.isReadOnly)
    }

    @Test func errorsCarrySQLiteCodesAndMessages() throws {
        let db = try accounts()
        do {
            try db.execute("INSERT INTO account(id, owner) VALUES (9, 'ann')")
            Issue.record("a duplicate owner was accepted")
        } catch let error as SQLiteError {
            #expect(error.code == ResultCode.constraintUnique)
            #expect(error.primaryCode == SQLITE_CONSTRAINT)
            #expect(error.message.contains("UNIQUE constraint failed: account.owner"))
            #expect(error.sql?.contains("INSERT INTO account") == true)
        }
        #expect(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        do {
            _ = try db.query("SELECT * FROM missing")
        } catch let error as SQLiteError {
            #expect(error.code == SQLITE_ERROR)
            #expect(error.message == "no such table: missing")
        }
    }

    @Test func transactionsAndSavepoints() throws {
        let db = try accounts()
        #expect(db.isAutocommit)
        try db.begin()
        #expect(!db.isAutocommit)
        try db.execute("UPDATE account SET balance = 1 WHERE id = 1")
        #expect(db.changes == 1)
        try db.savepoint("s1")
        try db.execute("DELETE FROM account")
        try db.rollback(to: "s1")
        try db.release("s1")
        try db.rollback()
        #expect(try db.query("SELECT count(*), sum(balance) FROM account") == [[.integer(2), .real(10.5)]])
        try db.begin()
        try db.execute("INSERT INTO account(owner) VALUES ('cy')")
        #expect(db.lastInsertRowID == 3)
        try db.commit()
        #expect(try db.query("SELECT count(*) FROM account") == [[.integer(3)]])
    }

    @Test func serializeAndDeserializeCloneADatabase() throws {
        let db = try accounts()
        let bytes = try db.serialize()
        #expect(bytes.count >= 4096)
        let clone = try Connection()
        try clone.deserialize(bytes)
        #expect(try clone.query("SELECT owner FROM account ORDER BY id") == [[.text("ann")], [.text("bob")]])
        try clone.execute("DELETE FROM account WHERE id = 1")
        #expect(try db.query("SELECT count(*) FROM account") == [[.integer(2)]])
    }

    @Test func copyContentClonesADatabaseIntoAnother() throws {
        let db = try accounts()
        let copy = try Connection()
        try copy.copyContent(of: db)
        #expect(try copy.query("SELECT id, owner FROM account ORDER BY id") == [[.integer(1), .text("ann")], [.integer(2), .text("bob")]])
        try copy.execute("DELETE FROM account WHERE id = 1")
        #expect(try db.query("SELECT count(*) FROM account") == [[.integer(2)]])
    }

    @Test func thePreupdateHookReportsRowImagesOnlyWhileActive() throws {
        let db = try accounts()
        var images: [RowImage] = []
        db.setPreupdateHook { images.append($0) }
        try db.execute("UPDATE account SET balance = 1 WHERE id = 2")
        #expect(images.map(\.operation) == [.update])
        #expect(images.first?.old[1] == .text("bob") && images.first?.new[2] == .real(1))
        db.setPreupdateHookActive(false)
        try db.execute("DELETE FROM account WHERE id = 2")
        #expect(images.count == 1)
        db.setPreupdateHookActive(true)
        try db.execute("INSERT INTO account VALUES (3, 'cy', NULL, NULL)")
        #expect(images.map(\.operation) == [.update, .insert])
        #expect(images.last?.newRowID == 3)
    }

    @Test func memoryStatisticsAreOff() throws {
        let db = try accounts()
        #expect(try db.query("SELECT count(*) FROM account") == [[.integer(2)]])
        // Off before the library initialized: nothing is counted (and no allocation takes the mutex).
        #expect(sqlite3_memory_used() == 0)
    }

    @Test func customFunctionsAndErrors() throws {
        let db = try Connection()
        try db.createFunction("mysql_div", argumentCount: 2) { args in
            guard let a = args[0].real, let b = args[1].real else { return .null }
            if b == 0 { return .null }
            return .real(a / b)
        }
        try db.createFunction("fail", argumentCount: 0) { _ in throw SQLiteError(code: 1, message: "boom") }
        #expect(try db.query("SELECT mysql_div(7, 2), mysql_div(1, 0), mysql_div(NULL, 2)") == [[.real(3.5), .null, .null]])
        #expect(throws: SQLiteError.self) { try db.query("SELECT fail()") }
    }

    @Test func customCollationOrdersAndCompares() throws {
        let db = try Connection()
        try db.createCollation("nocase_swift") { a, b in
            let (x, y) = (a.lowercased(), b.lowercased())
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        try db.executeScript("""
            CREATE TABLE t(s TEXT COLLATE nocase_swift PRIMARY KEY);
            INSERT INTO t VALUES ('b'), ('A'), ('c');
            """)
        #expect(try db.query("SELECT s FROM t ORDER BY s") == [[.text("A")], [.text("b")], [.text("c")]])
        #expect(try db.query("SELECT count(*) FROM t WHERE s = 'B'") == [[.integer(1)]])
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES ('a')") }
    }

    @Test func seededRandomRepeats() throws {
        // SQLite's PRNG is one per process, and tests run in parallel: another test's connection
        // may draw from it between a seed and the draw. A few attempts make that coincidence moot.
        let db = try Connection()
        func draw(_ seed: UInt32) throws -> [[SQLiteValue]] {
            db.seedRandom(seed)
            return try db.query("SELECT random(), hex(randomblob(8))")
        }
        var repeated = false
        for _ in 0..<5 where !repeated {
            repeated = try draw(42) == draw(42)
        }
        #expect(repeated)
        #expect(try draw(42) != draw(43))
    }

    @Test func sqliteHasTheFeaturesTheClusterNeeds() throws {
        let db = try Connection()
        #expect(Connection.libraryVersion.hasPrefix("3."))
        // UPDATE ... LIMIT (SQLITE_ENABLE_UPDATE_DELETE_LIMIT) and STRICT tables.
        try db.executeScript("CREATE TABLE t(id INTEGER PRIMARY KEY, v INT) STRICT; INSERT INTO t VALUES (1,1),(2,2),(3,3);")
        #expect(try db.execute("UPDATE t SET v = v + 10 ORDER BY id DESC LIMIT 2") == 2)
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO t VALUES (4, 'x')") }
    }
}

@Suite struct SessionTests {
    @Test func changesetReplaysOnAReplicaAndInvertsToUndo() throws {
        let schema = "CREATE TABLE kv(k INTEGER PRIMARY KEY, v TEXT); INSERT INTO kv VALUES (1, 'one'), (2, 'two');"
        let primary = try Connection()
        let replica = try Connection()
        try primary.executeScript(schema)
        try replica.executeScript(schema)
        let session = try Session(connection: primary)
        #expect(session.isEmpty)
        try primary.begin()
        try primary.execute("INSERT INTO kv VALUES (3, 'three')")
        try primary.execute("UPDATE kv SET v = 'uno' WHERE k = 1")
        try primary.execute("DELETE FROM kv WHERE k = 2")
        try primary.commit()
        let changeset = try session.changeset()
        let changes = try changeset.changes()
        #expect(changes.count == 3)
        #expect(changes.contains { $0.operation == .insert && $0.new == [.integer(3), .text("three")] })
        #expect(changes.contains { $0.operation == .update && $0.old == [.integer(1), .text("one")] && $0.new == [nil, .text("uno")] })
        #expect(changes.contains { $0.operation == .delete && $0.old == [.integer(2), .text("two")] })
        try changeset.apply(to: replica)
        let all = "SELECT * FROM kv ORDER BY k"
        #expect(try replica.query(all) == primary.query(all))
        try changeset.inverted().apply(to: replica)
        #expect(try replica.query(all) == [[.integer(1), .text("one")], [.integer(2), .text("two")]])
    }

    @Test func conflictsAbortUnlessToldOtherwise() throws {
        let primary = try Connection()
        let replica = try Connection()
        for db in [primary, replica] { try db.executeScript("CREATE TABLE kv(k INTEGER PRIMARY KEY, v TEXT);") }
        try replica.execute("INSERT INTO kv VALUES (1, 'diverged')")
        let session = try Session(connection: primary, tables: ["kv"])
        try primary.execute("INSERT INTO kv VALUES (1, 'one')")
        let changeset = try session.changeset()
        #expect(throws: SQLiteError.self) { try changeset.apply(to: replica) }
        #expect(try replica.query("SELECT v FROM kv") == [[.text("diverged")]])
        try changeset.apply(to: replica, onConflict: .replace)
        #expect(try replica.query("SELECT v FROM kv") == [[.text("one")]])
    }
}
