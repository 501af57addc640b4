import SimCore

extension VTTablet {
    /// Serves a tablet-manager request (from VTOrc or an operator). Each is a short chain of
    /// admin commands to the MySQL node; a node that does not answer fails the request.
    func manage(_ request: ManagerRequest, id: Int, from sender: ProcessID, _ context: ProcessContext<ClusterMessage>) {
        let reply: (ManagerReply, ProcessContext<ClusterMessage>) -> Void = { reply, context in
            context.send(.managerReply(id: id, reply: reply), to: sender)
        }
        let semiSync = configuration.durability == .semiSync
        switch request {
        case .status:
            admin(.status, context) { [unowned self] answer, context in
                var mysql: MySQLStatus?
                if case .status(let status)? = answer {
                    mysql = status
                    self.note(status, context)
                }
                reply(.status(self.status(mysql)), context)
            }
        case .demotePrimary:
            guard type == .primary else { return reply(.failed("\(configuration.alias) is not the primary"), context) }
            demoting = true
            writable = false
            broadcastHealth(context)
            context.trace(state: "demoting")
            // Let open transactions finish for the grace period, then end them (Vitess stops
            // other writes before it lets go of anything).
            demotionWaiters.append((id, sender, context.now + configuration.demotionGrace))
            finishDemotionIfDrained(context)
        case .undoDemotePrimary:
            guard type == .primary else { return reply(.failed("\(configuration.alias) is not the primary"), context) }
            // A restarted node must be noticed first: what was open on it is gone.
            admin(.status, context) { [unowned self] answer, context in
              guard case .status(let status)? = answer else { return reply(.failed("MySQL node not reachable"), context) }
              self.note(status, context)
              self.admin(.setSemiSync(primary: semiSync, replica: false), context) { [unowned self] _, context in
                // Prepared transactions come back from the redo log before writes do.
                self.redoPreparedTransactions(context) { [unowned self] replayed, context in
                    guard replayed else { return reply(.failed("the redo log of prepared transactions could not be read"), context) }
                    self.admin(.setReadOnly(false, term: self.term), context) { [unowned self] answer, context in
                        guard answer == .done else { return reply(.failed("MySQL node did not become writable"), context) }
                        self.demoting = false
                        self.writable = true
                        self.observer?.mark(.tabletUndoDemote)
                        self.broadcastHealth(context)
                        reply(.done, context)
                    }
                }
              }
            }
        case .promoteReplica(let newTerm):
            promote(term: newTerm, context) { [unowned self] ok, mysql, context in
                reply(ok ? .status(self.status(mysql)) : .failed("promotion of \(self.configuration.alias) failed"), context)
            }
        case .setReplicationSource(let primary):
            repoint(to: primary, context) { ok, context in reply(ok ? .done : .failed("could not replicate from \(primary)"), context) }
        case .stopReplicationAndGetStatus:
            replicationStoppedForReparentUntil = context.now + configuration.reparentReplicationHold
            admin(.stopReplication, context) { [unowned self] answer, context in
                guard answer != nil else { return reply(.failed("MySQL node not reachable"), context) }
                self.admin(.status, context) { [unowned self] answer, context in
                    guard case .status(let status)? = answer else { return reply(.failed("MySQL node not reachable"), context) }
                    reply(.status(self.status(status)), context)
                }
            }
        case .waitForPosition(let set, let timeout):
            admin(.waitForPosition(set, timeout: timeout), context, timeout: timeout + .milliseconds(500)) { answer, context in
                reply(answer == .done ? .done : .failed("position \(set) not reached"), context)
            }
        case .changeType(let newType):
            setType(newType, context)
            reply(.done, context)
        }
    }

    func status(_ mysql: MySQLStatus?) -> TabletStatus {
        TabletStatus(alias: configuration.alias, type: type, serving: serving, term: type == .primary ? term : .zero, mysql: mysql)
    }

    /// Ends a demotion once the open transactions and the statements in flight are gone (or the
    /// grace period is over: they are killed, as Vitess's query service ends them when it stops
    /// serving): the node goes read-only and the final position is reported. Only then is
    /// primary-side semi-sync switched off, which in MySQL releases commits still waiting for an
    /// ack; none may be left, or they would reach clients as acknowledged.
    func finishDemotionIfDrained(_ context: ProcessContext<ClusterMessage>) {
        guard !demotionWaiters.isEmpty else { return }
        let overdue = demotionWaiters.contains { context.now >= $0.deadline }
        if (!transactions.isEmpty || !queriesInFlight.isEmpty) && !overdue {
            context.setTimer(after: .milliseconds(100), .timer(.demotionCheck(request: 0)))
            return
        }
        if killQueriesInFlight(reason: "killed: \(configuration.alias) is being demoted", context) {
            observer?.mark(.tabletDemotionKilledQueries)
        }
        if !transactions.isEmpty {
            observer?.mark(.tabletDemotionKilledTransactions)
            rollbackAll(context)
        }
        releasePreparedForDemotion(context)
        let waiters = demotionWaiters
        demotionWaiters = []
        admin(.setReadOnly(true, term: nil), context) { [unowned self] _, context in
            // super_read_only too: the tablet's own writes still in flight must not commit here.
            self.admin(.setSuperReadOnly(true), context) { _, _ in }
            self.admin(.setSemiSync(primary: false, replica: false), context) { [unowned self] _, context in
                self.admin(.status, context) { [unowned self] answer, context in
                    var mysql: MySQLStatus?
                    if case .status(let s)? = answer { mysql = s }
                    for waiter in waiters {
                        let reply: ManagerReply = mysql == nil ? .failed("MySQL node not reachable") : .status(self.status(mysql))
                        context.send(.managerReply(id: waiter.id, reply: reply), to: waiter.client)
                    }
                }
            }
        }
    }

    /// Becomes the primary: stop replicating, apply what was received, forget the source,
    /// enable semi-sync as the durability policy wants, and accept writes under `term`.
    func promote(term newTerm: SimTime, _ context: ProcessContext<ClusterMessage>,
                 then: @escaping (Bool, MySQLStatus?, ProcessContext<ClusterMessage>) -> Void) {
        replicationStoppedForReparentUntil = nil
        let semiSync = configuration.durability == .semiSync
        admin(.stopReplication, context) { [unowned self] answer, context in
            guard answer != nil else { return then(false, nil, context) }
            self.admin(.status, context) { [unowned self] answer, context in
                guard case .status(let status)? = answer else { return then(false, nil, context) }
                self.note(status, context)
                // Never accept writes with received but unapplied transactions (ERS rule).
                self.admin(.waitForPosition(status.retrieved, timeout: .seconds(10)), context, timeout: .seconds(11)) { [unowned self] answer, context in
                    guard answer == .done else { return then(false, status, context) }
                    self.admin(.resetReplication, context) { [unowned self] _, context in
                        self.admin(.setSemiSync(primary: semiSync, replica: false), context) { [unowned self] _, context in
                          self.redoPreparedTransactions(context) { [unowned self] replayed, context in
                            guard replayed else { return then(false, status, context) }
                            self.admin(.setReadOnly(false, term: newTerm), context) { [unowned self] answer, context in
                                guard answer == .done else { return then(false, status, context) }
                                self.term = newTerm
                                // Transaction ids (and the DTIDs made of them) never repeat on a
                                // shard: a new primary starts above any id an earlier one could
                                // have handed out (Vitess starts them from the clock).
                                self.lastTransactionID = max(self.lastTransactionID, Int(context.now.nanoseconds / 1_000) * 10 + 1)
                                self.writable = true
                                self.demoting = false
                                self.setType(.primary, context)
                                self.observer?.mark(.tabletPromoted)
                                self.admin(.status, context) { answer, context in
                                    var final: MySQLStatus?
                                    if case .status(let s)? = answer { final = s }
                                    then(true, final, context)
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
    }

    /// Becomes a replica of `primary`: read-only, semi-sync replica if the policy wants it,
    /// replicating from the primary's node.
    func repoint(to primary: String, _ context: ProcessContext<ClusterMessage>,
                 then: @escaping (Bool, ProcessContext<ClusterMessage>) -> Void) {
        replicationStoppedForReparentUntil = nil
        guard primary != configuration.alias else { return then(false, context) }
        let semiSync = configuration.durability == .semiSync
        writable = false
        if type == .primary {
            rollbackAll(context)
            releasePreparedForDemotion(context)
            setType(configuration.replicaType, context)
            term = .zero
        }
        admin(.setReadOnly(true, term: nil), context) { [unowned self] _, context in
            self.admin(.setSemiSync(primary: false, replica: semiSync && self.type == .replica), context) { [unowned self] _, context in
                self.admin(.startReplication(source: TabletConfiguration.mysqldName(primary)), context) { [unowned self] answer, context in
                    if self.type == .drained || self.type == .primary { self.setType(self.configuration.replicaType, context) }
                    self.demoting = false
                    self.broadcastHealth(context)
                    then(answer == .done, context)
                }
            }
        }
    }
}
