//! Membership change by single-server changes (Ongaro's dissertation, ch. 4).
//!
//! A configuration is the set of servers whose votes and replicas count. It is a log entry, [`Value::Config`]
//! with the servers after the change, and unlike every other entry it takes effect on a server **as soon as it is
//! in that server's log**, committed or not: each server uses the latest configuration in its log (the first
//! configuration, [`Cluster::members`], while its log holds none), and a truncation that deletes the entry reverts
//! it. So a leader replicates to, counts votes of and commits with the servers of its latest configuration.
//!
//! The change is safe because of three rules the leader keeps when it accepts one ([`Node::propose`]):
//!
//! 1. **One server at a time.** The new configuration adds or removes exactly one server, so any majority of the
//!    old and any majority of the new share a server (the argument is written at [`Node::change`]): no two leaders
//!    can be elected in one term, and no two values committed in one slot, by the two configurations.
//! 2. **One change at a time.** No change while an earlier configuration entry is uncommitted: every server then
//!    uses either the last committed configuration or the one change after it, two configurations whose
//!    majorities meet. Without this rule (the `change-two-at-once` bug) a leader's configuration can be two
//!    servers away from the one other servers still use.
//! 3. **A commit of its own term first** (the dissertation's fix of 2015, §4.1): a new leader accepts no change
//!    until it has committed an entry of its term (its no-op). An uncommitted change of a deposed leader may
//!    still be in another server's log; committing in its own term makes sure that entry can never be committed
//!    beside this leader's change, which could otherwise differ from it by two servers.
//!
//! A new server starts with an empty log, so in no configuration of its own: it never campaigns, and it catches up
//! through ordinary AppendEntries (the leader's next index for it backs off to its empty log). A leader that
//! removes itself keeps leading until the entry commits, without counting itself, then steps down. A removed
//! server that never learns of its removal times out and campaigns in ever later terms; the servers of the new
//! configuration ignore its RequestVote while they hear from a leader (§4.2.3, written at [`Node::ignores`]).

use paxos_core::{NodeId, NodeSet, Slot, Value};

use crate::config::{majority, Cluster};
use crate::io::NodeEvent;
use crate::node::{Node, Progress, ProposeError, Role};

impl Node {
    /// The configuration in force at this node: the latest in its log, else the first one.
    pub fn configuration(&self) -> NodeSet {
        self.configs.last().map_or(self.cluster().members, |c| c.1)
    }

    /// The slot of the latest configuration entry in its log, if any.
    pub fn configuration_slot(&self) -> Option<Slot> {
        self.configs.last().map(|c| c.0)
    }

    /// Whether this node is a server of its own configuration: only such a node campaigns, and a leader counts
    /// itself only then.
    pub fn is_member(&self) -> bool {
        self.configuration().contains(self.id)
    }

    /// A majority of the configuration in force: votes to win, replicas to commit.
    pub(crate) fn majority(&self) -> usize {
        majority(self.configuration())
    }

    /// Gives the node the cluster with a node added ([`Cluster::grown`]); nothing else changes.
    pub fn set_cluster(&mut self, cluster: std::sync::Arc<Cluster>) {
        self.cluster.0 = cluster;
    }

    /// Whether the leader accepts a change to configuration `to` now; a refusal changes nothing.
    pub(crate) fn change(&self, to: NodeSet) -> Result<(), ProposeError> {
        let Role::Leader { .. } = self.role else { return Err(ProposeError::NotLeader(self.id)) };
        let from = self.configuration();
        // Rule 1. Adding or removing one server keeps every majority of `from` and every majority of `to` meeting:
        // adding one to n servers, a majority of the n + 1 is at least ⌈n/2⌉ + 1 servers of which at most one is
        // new, so at least ⌈n/2⌉ of the n, more than n minus a majority of them; removing one of n, a majority of
        // the n − 1 is at least ⌈n/2⌉ of the n, and the other ⌊n/2⌋ are fewer than a majority of the n. The
        // election and commit rules count majorities of the configuration in force, so this is what lets a server
        // with `from` and one with `to` act at once.
        if (from.0 ^ to.0).count_ones() != 1 || to.is_empty() {
            return Err(ProposeError::NotOneServer { from, to });
        }
        // Rule 2. With at most one uncommitted change, the servers use at most two configurations, the committed
        // one and `from`, and by rule 1 their majorities meet.
        if let Some(slot) = self.configuration_slot().filter(|&s| s >= self.commit) {
            if !self.cluster().config.bugs.change_two_at_once {
                return Err(ProposeError::ChangePending(slot));
            }
        }
        // Rule 3 (§4.1, the 2015 fix). Until an entry of this term commits, a deposed leader's uncommitted change
        // may be in other logs: committing ours could leave two configurations two servers apart.
        let term = self.durable.term;
        if self.commit.0 == 0 || self.durable.log[self.commit.0 as usize - 1].term != term {
            return Err(ProposeError::NoCommitInTerm(term));
        }
        Ok(())
    }

    /// Notes a stored entry: a configuration takes effect now. A leader starts tracking a server it adds, from its
    /// own log's end (the server's replies back it off to where its log matches).
    pub(crate) fn note_entry(&mut self, slot: Slot, value: &Value) {
        let Value::Config(m) = value else { return };
        self.configs.push((slot, *m));
        if let Role::Leader { progress } = &mut self.role {
            let need = m.iter().map(|n| n.index() + 1).max().unwrap_or(0);
            if progress.len() < need {
                progress.resize(need, Progress { next: slot, matched: Slot(0) });
            }
        }
    }

    /// Entries from `from` on were deleted: the configurations among them no longer hold.
    pub(crate) fn forget_entries(&mut self, from: Slot) {
        while self.configs.last().is_some_and(|c| c.0 >= from) {
            self.configs.pop();
        }
    }

    /// The configuration entries of a log, in order (a restarted node derives them again from its durable log).
    pub(crate) fn configs_of(log: &[crate::Entry]) -> Vec<(Slot, NodeSet)> {
        let mut c = Vec::new();
        for (i, e) in log.iter().enumerate() {
            if let Value::Config(m) = e.value {
                c.push((Slot(i as u64), m));
            }
        }
        c
    }

    /// A leader outside its configuration steps down once that configuration is committed (it led, not counting
    /// itself, until then), telling the servers the commit index first; it never campaigns again.
    pub(crate) fn step_down_if_removed(&mut self) {
        let done = self.configuration_slot().is_some_and(|s| s < self.commit);
        if self.is_leader() && done && !self.is_member() {
            self.broadcast_append();
            self.role = Role::Follower;
            self.leader = None;
            self.timer = 0;
            self.emit(NodeEvent::SteppedDown { term: self.durable.term });
        }
    }

    /// §4.2.3: whether this node ignores a RequestVote from `candidate` (neither adopting its term nor answering).
    /// A server removed from the configuration that never learns of it hears no more heartbeats, times out and
    /// campaigns in ever later terms; adopting those terms would depose the leader again and again. So a node
    /// that leads, or heard from its leader less than the minimum election timeout ago, ignores a candidate
    /// outside its own configuration. The dissertation ignores every candidate then; we keep Raft's ordinary
    /// elections unchanged (and so the explorer's, which fires timeouts without ticks) and ignore only the
    /// servers a change left out. It is safe (a vote refused never breaks safety) and live: a server left out
    /// of the latest configuration is left out of every later one (a new server gets a new id), and once the
    /// leader is gone the timer runs out and the node answers as usual.
    pub(crate) fn ignores(&self, candidate: NodeId) -> bool {
        let recent = self.is_leader() || self.leader.is_some() && self.heard < self.cluster().config.timing.election.0;
        recent && !self.configuration().contains(candidate)
    }
}
