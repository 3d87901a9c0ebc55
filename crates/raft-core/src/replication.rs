//! Log replication (§5.3) and commitment (§5.4.2): client values, AppendEntries with its consistency check and
//! conflict repair, the leader's next and match indexes with back-off, and the commit rule. In Paxos's words,
//! AppendEntries is phase 2 for a run of slots; where Multi-Paxos fills a gap with a no-op, Raft repairs the
//! follower's log to the leader's.

use paxos_core::{NodeId, NodeSet, Slot, Value};
use rand_core::RngCore;

use crate::io::NodeEvent;
use crate::msg::Msg;
use crate::node::{Node, Role};
use crate::types::{Entry, EntryId, Term};

impl Node {
    /// A client value, given here or forwarded by `from`. The leader appends it and sends it to every follower
    /// that had the whole log (the others get it as their replies come in); a follower forwards it to the leader
    /// it knows, unless that is who forwarded it (beliefs can cross while the leader changes); otherwise it keeps
    /// it until a leader is known.
    pub(crate) fn take_value(&mut self, value: Value, from: Option<NodeId>) {
        if let Role::Leader { progress } = &self.role {
            let slot = self.durable.len();
            let caught_up: Vec<NodeId> = self.peers().filter(|p| progress[p.index()].next == slot).collect();
            // A configuration is in force once appended: replicate to its servers, a new one included.
            let change = matches!(value, Value::Config(_));
            self.append(value);
            if change {
                self.broadcast_append();
            }
            for peer in caught_up.into_iter().filter(|_| !change) {
                self.send_append(peer);
            }
            return;
        }
        match self.leader {
            Some(leader) if Some(leader) != from => self.send(leader, Msg::Propose { value }),
            _ => self.pending.push(value),
        }
    }

    /// Appends a value to the leader's own log, in its term. A leader never overwrites or deletes its entries
    /// (Leader Append-Only): this is the only way its log changes while it leads.
    pub(crate) fn append(&mut self, value: Value) {
        let (term, slot) = (self.durable.term, self.durable.len());
        self.emit(NodeEvent::Appended { slot, term, value: value.clone() });
        self.note_entry(slot, &value);
        self.durable.log.push(Entry { term, value });
        // A one-node cluster is its own majority.
        self.leader_commit();
    }

    /// Sends every follower its next entries (or an empty AppendEntries as a heartbeat).
    pub(crate) fn broadcast_append(&mut self) {
        for peer in self.peers() {
            self.send_append(peer);
        }
    }

    /// Sends `peer` the entries from its next index on (at most `max_entries`), after the entry just before them.
    pub(crate) fn send_append(&mut self, peer: NodeId) {
        let Role::Leader { progress } = &self.role else { return };
        let Some(p) = progress.get(peer.index()) else { return };
        let next = p.next.min(self.durable.len()).0 as usize;
        let prev = next.checked_sub(1).map(|s| EntryId { term: self.durable.log[s].term, slot: Slot(s as u64) });
        let max = self.cluster().config.max_entries as usize;
        let entries = self.durable.log[next..].iter().take(max).cloned().collect();
        let (term, commit) = (self.durable.term, self.commit);
        self.send(peer, Msg::AppendEntries { term, prev, entries, commit });
    }

    /// AppendEntries, as a follower. The term is already ours if it was later (see `Node::step`).
    pub(crate) fn on_append_entries(
        &mut self,
        leader: NodeId,
        term: Term,
        prev: Option<EntryId>,
        entries: Vec<Entry>,
        commit: Slot,
        rng: &mut impl RngCore,
    ) {
        let current = self.durable.term;
        if term < current {
            // A deposed leader: our term in the reply makes it step down.
            self.send(leader, Msg::AppendReply { term: current, success: false, index: self.durable.len() });
            return;
        }
        // `leader` leads our term: a candidate of this term lost the election (and a second leader of one term,
        // which only a bug allows, gives way too).
        self.role = Role::Follower;
        self.leader = Some(leader);
        self.heard = 0;
        self.timer = self.election_timeout(rng);
        for value in std::mem::take(&mut self.pending) {
            self.send(leader, Msg::Propose { value });
        }
        // The consistency check: we take entries only right after an entry we share with the leader. By Log
        // Matching, sharing `prev` means sharing everything before it, so once the check passes our log matches
        // the leader's up to the last entry it sent; a refusal makes the leader back off and try an earlier `prev`.
        if let Some(prev) = prev {
            if self.durable.term_at(prev.slot) != Some(prev.term) {
                self.emit(NodeEvent::Inconsistent { term, prev });
                let index = prev.slot.min(self.durable.len());
                self.send(leader, Msg::AppendReply { term, success: false, index });
                return;
            }
        }
        let mut slot = prev.map_or(Slot(0), |p| p.slot.next());
        for entry in entries {
            match self.durable.term_at(slot) {
                // Already held: a duplicated or reordered AppendEntries must not delete what follows it.
                Some(t) if t == entry.term => {}
                held => {
                    if held.is_some() {
                        // The conflict repair: an entry of another term at this slot, and everything after it, was
                        // never committed (the leader holds every committed entry), so it gives way to the leader's.
                        let removed = self.durable.len().0 - slot.0;
                        self.durable.log.truncate(slot.0 as usize);
                        self.forget_entries(slot);
                        self.emit(NodeEvent::Truncated { from: slot, removed });
                    }
                    self.emit(NodeEvent::Appended { slot, term: entry.term, value: entry.value.clone() });
                    self.note_entry(slot, &entry.value);
                    self.durable.log.push(entry);
                }
            }
            slot = slot.next();
        }
        // Committed only up to the last entry this message vouches for: entries after it may be a deposed
        // leader's leftovers that the current leader will still overwrite.
        if commit > self.commit {
            self.commit_to(commit.min(slot));
        }
        self.send(leader, Msg::AppendReply { term, success: true, index: slot });
    }

    /// AppendEntries' reply, as the leader: track the follower's log, back off on a refusal, commit on a majority.
    pub(crate) fn on_append_reply(&mut self, from: NodeId, term: Term, success: bool, index: Slot) {
        let len = self.durable.len();
        if term != self.durable.term {
            return;
        }
        let Role::Leader { progress } = &mut self.role else { return };
        let Some(p) = progress.get_mut(from.index()) else { return };
        let index = index.min(len);
        if success {
            // Replies can arrive out of order or twice: what is known to match never moves back.
            p.matched = p.matched.max(index);
            p.next = p.next.max(index);
            let behind = p.next < len;
            self.leader_commit();
            if behind {
                self.send_append(from);
            }
        } else {
            // Back off by one (Figure 2), or at once to the end of a shorter log; never below what is known to
            // match. A refusal of an earlier AppendEntries that asks for nothing new is ignored.
            let next = index.min(Slot(p.next.0.saturating_sub(1))).max(p.matched);
            if next >= p.next {
                return;
            }
            p.next = next;
            self.emit(NodeEvent::BackedOff { follower: from, next });
            self.send_append(from);
        }
    }

    /// The leader's commit rule (§5.4.2): the highest slot that a majority of its configuration holds and whose
    /// entry is of the leader's own term becomes committed, and with it every slot before it. A leader outside
    /// its configuration (removing itself) does not count its own log.
    pub(crate) fn leader_commit(&mut self) {
        let Role::Leader { progress } = &self.role else { return };
        let (term, majority, members) = (self.durable.term, self.majority(), self.configuration());
        let counts_old_terms = self.cluster().config.bugs.commit_old_term;
        let mut found = None;
        for slot in (self.commit.0..self.durable.len().0).rev().map(Slot) {
            let entry_term = self.durable.log[slot.0 as usize].term;
            // Only an entry of the leader's own term is committed by counting. An earlier term's entry on a
            // majority can still be overwritten: a candidate whose last entry has a later term than that entry
            // wins votes from the nodes that hold it (Figure 8). An entry of our term on a majority cannot: any
            // later winner needs a vote from that majority, and the up-to-date check makes it hold the entry.
            // The leader's own-term entries are the end of its log, so the first older one ends the search.
            if entry_term != term && !counts_old_terms {
                break;
            }
            let holds = |n: NodeId| n == self.id || progress.get(n.index()).is_some_and(|p| p.matched > slot);
            let replicas: NodeSet = members.iter().filter(|&n| holds(n)).collect();
            if replicas.len() >= majority {
                found = Some((slot, entry_term, replicas));
                break;
            }
        }
        if let Some((slot, entry_term, replicas)) = found {
            self.emit(NodeEvent::Counted { slot, term: entry_term, leader_term: term, replicas });
            self.commit_to(slot.next());
        }
    }
}
