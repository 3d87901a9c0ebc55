//! Leader election (§5.2, §5.4.1): RequestVote, its reply, and becoming the leader. In Paxos's words, a campaign is
//! phase 1 for every slot at once, with the term as the ballot: a vote is a promise, and the up-to-date check takes
//! the place of adopting the highest accepted value, by electing only a candidate that already holds it.

use paxos_core::{NodeId, NodeSet, Value};
use rand_core::RngCore;

use crate::io::{NodeEvent, Refusal};
use crate::msg::Msg;
use crate::node::{Node, Progress, Role};
use crate::types::{EntryId, Term};

impl Node {
    /// Starts an election now, as when the election timer fires: a new term, a vote for itself (stored before the
    /// requests go out), a fresh random timeout, and RequestVote to every other server of its configuration. A
    /// node outside its own configuration does nothing (see `membership.rs`).
    pub fn campaign(&mut self, rng: &mut impl RngCore) {
        if !self.is_member() {
            return;
        }
        let term = self.durable.term.next();
        self.durable.term = term;
        self.durable.voted_for = Some(self.id);
        self.role = Role::Candidate { votes: NodeSet::EMPTY };
        self.leader = None;
        self.timer = self.election_timeout(rng);
        let last = self.durable.last();
        self.emit(NodeEvent::Campaigned { term, last });
        for peer in self.peers() {
            self.send(peer, Msg::RequestVote { term, last });
        }
        // Its own vote counts like any other (and wins a one-node cluster at once).
        self.on_vote(self.id, term, true);
    }

    /// RequestVote, as a voter. The term is already ours if it was later (see `Node::step`).
    pub(crate) fn on_request_vote(
        &mut self,
        candidate: NodeId,
        term: Term,
        last: Option<EntryId>,
        rng: &mut impl RngCore,
    ) {
        let current = self.durable.term;
        let refusal = if term < current {
            Some(Refusal::StaleTerm { current })
        } else if let Some(voted_for) = self.durable.voted_for.filter(|&v| v != candidate) {
            // One vote per term, kept across crashes in `Durable`: with two votes, two candidates could each count
            // a majority in one term (the forget-vote bug forgets it at a restart).
            Some(Refusal::AlreadyVoted { voted_for })
        } else {
            match self.durable.last() {
                // The up-to-date check (§5.4.1). A committed entry is on a majority, and a winner needs the votes
                // of a majority, so some voter holds every committed entry; refusing every candidate whose log is
                // behind the voter's means the winner's log is at least as up-to-date as that voter's, and so
                // holds the entry too (Leader Completeness). Without it (the no-log-check bug), a node that missed
                // a committed entry can lead and overwrite it.
                Some(mine) if last < Some(mine) && !self.cluster().config.bugs.no_log_check => {
                    Some(Refusal::LogBehind { mine, theirs: last })
                }
                _ => None,
            }
        };
        if let Some(reason) = refusal {
            self.emit(NodeEvent::Refused { term, candidate, reason });
            self.send(candidate, Msg::Vote { term: current, granted: false });
            return;
        }
        // Stored before the reply leaves (the caller persists `Durable` before sending).
        self.durable.voted_for = Some(candidate);
        // Granting a vote resets the election timer, so a voter does not start a rival election at once (§5.2).
        self.timer = self.election_timeout(rng);
        self.emit(NodeEvent::Voted { term, candidate });
        self.send(candidate, Msg::Vote { term, granted: true });
    }

    /// A vote's reply, as a candidate: a majority of our configuration's votes in our term makes us the leader.
    pub(crate) fn on_vote(&mut self, from: NodeId, term: Term, granted: bool) {
        let (majority, members) = (self.majority(), self.configuration());
        let Role::Candidate { votes } = &mut self.role else { return };
        if term != self.durable.term || !granted || !members.contains(from) {
            return;
        }
        votes.insert(from);
        if votes.len() >= majority {
            // Election Safety: each node votes at most once per term, and two majorities share a node, so no other
            // candidate can count a majority in this term; two majorities of two configurations share one too,
            // for those a server can be using differ by one server (see `Node::change`).
            let votes = *votes;
            self.lead(votes);
        }
    }

    /// Becomes the leader of the current term: every follower's next index starts optimistically after our log,
    /// the term's no-op is appended (§8: it lets the leader commit, and so learn, everything before it in its own
    /// term), and then the client values kept while no leader was known.
    fn lead(&mut self, votes: NodeSet) {
        let term = self.durable.term;
        let next = self.durable.len();
        let n = self.configuration().iter().map(|m| m.index() + 1).max().unwrap_or(0).max(self.cluster().len());
        let progress = vec![Progress { next, matched: paxos_core::Slot(0) }; n];
        self.role = Role::Leader { progress };
        self.leader = Some(self.id);
        self.timer = self.cluster().config.timing.heartbeat;
        self.emit(NodeEvent::Elected { term, votes });
        self.append(Value::Noop);
        for value in std::mem::take(&mut self.pending) {
            self.append(value);
        }
        self.broadcast_append();
    }
}
