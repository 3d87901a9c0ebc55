//! A Raft node: its state as Figure 2 lists it, driven by `step`, `tick`, `campaign` and `propose`, with outputs
//! taken as data. The rules for elections are in `election.rs`, those for the log in `replication.rs`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use paxos_core::{NodeId, NodeSet, Slot, TxnTable, Value};
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::config::Cluster;
use crate::io::NodeEvent;
use crate::msg::{Envelope, Msg};
use crate::types::{Entry, EntryId, Term};

/// Figure 2's "persistent state on all servers": everything a node keeps on stable storage. A crash keeps exactly
/// this and drops the rest of the node, so a restart cannot forget a vote by accident (only the `forget-vote` bug
/// drops `voted_for`, on purpose).
///
/// The caller must persist it before sending the messages of the same call ("updated on stable storage before
/// responding to RPCs"): a vote that was sent but not stored could be given again after a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Durable {
    /// `currentTerm`: the latest term the node has seen.
    pub term: Term,
    /// `votedFor`: the candidate it voted for in `term`, if any.
    pub voted_for: Option<NodeId>,
    /// `log[]`: the entries, slot `i` at index `i`.
    pub log: Vec<Entry>,
}

impl Durable {
    /// The log's length: the first empty slot.
    pub fn len(&self) -> Slot {
        Slot(self.log.len() as u64)
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// The entry at `slot`.
    pub fn entry(&self, slot: Slot) -> Option<&Entry> {
        self.log.get(usize::try_from(slot.0).ok()?)
    }

    /// The term of the entry at `slot`.
    pub fn term_at(&self, slot: Slot) -> Option<Term> {
        self.entry(slot).map(|e| e.term)
    }

    /// The last entry's id; `None` for an empty log.
    pub fn last(&self) -> Option<EntryId> {
        let slot = self.log.len().checked_sub(1)?;
        Some(EntryId { term: self.log[slot].term, slot: Slot(slot as u64) })
    }
}

/// What a leader knows of one follower's log (Figure 2's volatile state on leaders).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Progress {
    /// `nextIndex`: the next slot to send it.
    pub next: Slot,
    /// `matchIndex`: slots `..matched` are known to match the leader's log.
    pub matched: Slot,
}

/// A node's role in its current term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Answers candidates and the leader; campaigns when its election timer fires.
    #[default]
    Follower,
    /// Asks for votes in its term.
    Candidate {
        /// The nodes that granted their vote (itself first).
        votes: paxos_core::NodeSet,
    },
    /// Leads its term: appends client values and replicates its log.
    Leader {
        /// Per node (indexed by id; its own entry unused): what it knows of that node's log.
        progress: Vec<Progress>,
    },
}

/// Why a client value was refused. A refused call changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProposeError {
    /// A client asked for a no-op, which only a leader appends, at the start of its term: a checker reads a no-op
    /// as that and nothing else.
    #[error("node {0} refuses a no-op from a client: a leader appends one itself when its term starts")]
    Noop(NodeId),
    /// A membership change asked of a node that does not lead.
    #[error("node {0} is not the leader: a membership change is asked of the leader")]
    NotLeader(NodeId),
    /// A membership change while the configuration entry at the slot is uncommitted.
    #[error("the configuration entry at [{0}] is not committed yet: one membership change at a time")]
    ChangePending(Slot),
    /// A membership change before the leader committed an entry of its term.
    #[error("the leader has committed no entry of its term {0} yet: it changes the membership only after")]
    NoCommitInTerm(Term),
    /// A membership change of more or less than one server.
    #[error("a membership change adds or removes exactly one server, not {from} to {to}")]
    NotOneServer {
        /// The configuration in force at the leader.
        from: NodeSet,
        /// The one asked for.
        to: NodeSet,
    },
}

/// The shared, validated configuration. It takes no part in comparing or hashing node states: every node of a run
/// shares the same one, and an explorer deduplicates states by their protocol state alone.
#[derive(Clone, Debug)]
pub(crate) struct Shared(pub(crate) Arc<Cluster>);

impl PartialEq for Shared {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Shared {}
impl Hash for Shared {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// One Raft node. It does no I/O and reads no clock: the caller delivers messages with [`Node::step`], advances
/// time with [`Node::tick`], passes in randomness, and takes the outputs with [`Node::drain_outbox`] and
/// [`Node::drain_events`] (or [`Node::swap_outputs`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub(crate) id: NodeId,
    pub(crate) cluster: Shared,
    pub(crate) durable: Durable,
    pub(crate) role: Role,
    /// The leader of the current term, once heard from (a follower forwards client values to it).
    pub(crate) leader: Option<NodeId>,
    /// `commitIndex` as a length: slots `..commit` are known committed.
    pub(crate) commit: Slot,
    /// `lastApplied` as a length: slots `..applied` are applied to `txn`.
    pub(crate) applied: Slot,
    /// The state machine: the seed's transaction-ID allocation, applied in log order.
    pub(crate) txn: TxnTable,
    /// Ticks until the election timeout (follower, candidate) or the next heartbeat (leader); 0 when not armed yet
    /// (a fresh or restarted node draws its timeout at its first tick).
    pub(crate) timer: u32,
    /// Client values waiting for a leader to be known.
    pub(crate) pending: Vec<Value>,
    /// The configuration entries in its log, by slot (derived from the log; see `membership.rs`).
    pub(crate) configs: Vec<(Slot, NodeSet)>,
    /// Ticks since it last heard from the leader of its term (saturating; `u32::MAX` at the start): a
    /// leaseholder ignores candidates a membership change left out (§4.2.3, `Node::ignores`).
    pub(crate) heard: u32,
    outbox: Vec<Envelope>,
    events: Vec<NodeEvent>,
}

impl Node {
    /// A fresh node: a follower in term 0 with an empty log.
    pub fn new(id: NodeId, cluster: Arc<Cluster>) -> Node {
        Node::recover(id, cluster, Durable::default())
    }

    fn recover(id: NodeId, cluster: Arc<Cluster>, durable: Durable) -> Node {
        Node {
            configs: Node::configs_of(&durable.log),
            heard: u32::MAX,
            id,
            cluster: Shared(cluster),
            durable,
            role: Role::Follower,
            leader: None,
            commit: Slot(0),
            applied: Slot(0),
            txn: TxnTable::default(),
            timer: 0,
            pending: Vec::new(),
            outbox: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Restarts after a crash: keeps [`Durable`] and nothing else, so it comes back a follower that knows nothing
    /// committed and re-applies its log as its leader tells it the commit index. With the `forget-vote` bug it
    /// forgets `voted_for` too; the return value says whether a vote was forgotten.
    pub fn restart(&mut self) -> bool {
        let mut durable = std::mem::take(&mut self.durable);
        let forgot = self.cluster().config.bugs.forget_vote && durable.voted_for.is_some();
        if forgot {
            durable.voted_for = None;
        }
        *self = Node::recover(self.id, self.cluster.0.clone(), durable);
        forgot
    }

    /// A client asks this node to get `value` committed. A leader appends it and replicates it; a follower forwards
    /// it to the leader it knows, or keeps it until it knows one (a new leader appends what it kept).
    ///
    /// A [`Value::Config`] is a membership change, asked of the leader alone, which accepts it only under the
    /// rules of `membership.rs` (one server, one change at a time, after a commit of its own term) and else
    /// refuses it, changing nothing.
    pub fn propose(&mut self, value: Value) -> Result<(), ProposeError> {
        if value == Value::Noop {
            return Err(ProposeError::Noop(self.id));
        }
        if let Value::Config(to) = value {
            self.change(to)?;
        }
        self.take_value(value, None);
        Ok(())
    }

    /// Delivers one message. A later term than ours is adopted first, whatever the message (Figure 2, "Rules for
    /// Servers, All Servers").
    pub fn step(&mut self, from: NodeId, msg: Msg, rng: &mut impl RngCore) {
        if let Msg::RequestVote { term, .. } = msg {
            if self.ignores(from) {
                self.emit(NodeEvent::Ignored { term, candidate: from });
                return;
            }
        }
        if let Some(term) = msg.term() {
            if term > self.durable.term {
                self.adopt(term, rng);
            }
        }
        match msg {
            Msg::RequestVote { term, last } => self.on_request_vote(from, term, last, rng),
            Msg::Vote { term, granted } => self.on_vote(from, term, granted),
            Msg::AppendEntries { term, prev, entries, commit } => {
                self.on_append_entries(from, term, prev, entries, commit, rng)
            }
            Msg::AppendReply { term, success, index } => self.on_append_reply(from, term, success, index),
            Msg::Propose { value } => self.take_value(value, Some(from)),
        }
    }

    /// Advances this node's clock by one tick: a leader's heartbeat, or a follower's or candidate's election
    /// timeout, drawn from `rng` in the configured range each time it is reset.
    ///
    /// A node outside its own configuration (added but not yet holding the entry that adds it, or removed) never
    /// campaigns: its timer runs out and is drawn again.
    pub fn tick(&mut self, rng: &mut impl RngCore) {
        self.heard = self.heard.saturating_add(1);
        if self.timer == 0 {
            self.timer = self.election_timeout(rng);
        }
        self.timer -= 1;
        if self.timer > 0 {
            return;
        }
        if self.is_leader() {
            self.timer = self.cluster().config.timing.heartbeat;
            self.broadcast_append();
        } else if self.is_member() {
            self.campaign(rng);
        }
    }

    /// A later term arrived: adopt it with no vote, and follow. A leader's timer counted heartbeats, so it draws
    /// an election timeout; a follower's or candidate's keeps running (seeing a term is no sign of a live leader).
    fn adopt(&mut self, term: Term, rng: &mut impl RngCore) {
        let previous = self.durable.term;
        self.durable.term = term;
        self.durable.voted_for = None;
        if self.is_leader() {
            self.timer = self.election_timeout(rng);
        }
        self.role = Role::Follower;
        self.leader = None;
        self.emit(NodeEvent::NewTerm { term, previous });
    }

    /// A random election timeout in the configured range: randomness keeps two candidates from splitting every
    /// election (§5.2).
    pub(crate) fn election_timeout(&self, rng: &mut impl RngCore) -> u32 {
        let (lo, hi) = self.cluster().config.timing.election;
        lo + rng.next_u32() % (hi - lo + 1)
    }

    /// Moves the commit index to `to` (never back), reporting each newly committed entry, and applies them.
    pub(crate) fn commit_to(&mut self, to: Slot) {
        let to = to.min(self.durable.len());
        while self.commit < to {
            let slot = self.commit;
            let Entry { term, value } = self.durable.log[slot.0 as usize].clone();
            self.emit(NodeEvent::Committed { slot, term, value });
            self.commit = slot.next();
        }
        self.apply();
        self.step_down_if_removed();
    }

    /// Applies the committed entries in log order: each transaction request receives the next ID, once.
    fn apply(&mut self) {
        while self.applied < self.commit {
            let slot = self.applied;
            if let Value::Txn { client, req } = self.durable.log[slot.0 as usize].value {
                if let Some(id) = allocate(&mut self.txn, client, req) {
                    self.emit(NodeEvent::Allocated { slot, client, req, id });
                }
            }
            self.applied = slot.next();
        }
    }

    pub(crate) fn send(&mut self, to: NodeId, msg: Msg) {
        self.outbox.push(Envelope { from: self.id, to, msg });
    }

    pub(crate) fn emit(&mut self, event: NodeEvent) {
        self.events.push(event);
    }

    pub(crate) fn cluster(&self) -> &Cluster {
        &self.cluster.0
    }

    /// The other servers of its configuration, in order: those it asks for votes and replicates to.
    pub(crate) fn peers(&self) -> impl Iterator<Item = NodeId> {
        let me = self.id;
        self.configuration().iter().filter(move |&n| n != me)
    }

    /// Takes the messages to send, in the order they were produced.
    pub fn drain_outbox(&mut self) -> std::vec::Drain<'_, Envelope> {
        self.outbox.drain(..)
    }

    /// Takes the decisions made since the last call, in order.
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, NodeEvent> {
        self.events.drain(..)
    }

    /// Takes the messages and decisions produced since the last call by swapping buffers: `out` and `events` must
    /// be empty and receive them; the node keeps the empty buffers (and their capacity).
    pub fn swap_outputs(&mut self, out: &mut Vec<Envelope>, events: &mut Vec<NodeEvent>) {
        debug_assert!(out.is_empty() && events.is_empty(), "the buffers to swap in must be empty");
        std::mem::swap(&mut self.outbox, out);
        std::mem::swap(&mut self.events, events);
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// What the node keeps across a crash: its term, its vote and its log.
    pub fn durable(&self) -> &Durable {
        &self.durable
    }

    /// Its role in its current term.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// Whether it leads its current term.
    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader { .. })
    }

    /// The leader of its current term, once heard from (itself when it leads).
    pub fn leader(&self) -> Option<NodeId> {
        self.leader
    }

    /// Its commit index as a length: slots `..commit` are known committed.
    pub fn commit(&self) -> Slot {
        self.commit
    }

    /// The transaction-ID table, applied up to the commit index.
    pub fn txn(&self) -> &TxnTable {
        &self.txn
    }

    /// Ticks until its election timeout (or a leader's next heartbeat); 0 when not armed yet.
    pub fn timer(&self) -> u32 {
        self.timer
    }

    /// Client values it keeps until it knows a leader.
    pub fn pending(&self) -> &[Value] {
        &self.pending
    }
}

/// The seed's state machine: a request receives the next ID the first time it is applied, and keeps it.
fn allocate(txn: &mut TxnTable, client: u32, req: u32) -> Option<u64> {
    if txn.ids.contains_key(&(client, req)) {
        return None;
    }
    let id = txn.next_id;
    txn.ids.insert((client, req), id);
    txn.next_id += 1;
    Some(id)
}
