//! The learner: learns a value once a phase-2 quorum accepted it in one ballot, and applies the log in order.

use std::collections::BTreeMap;

use crate::node::{Io, NodeEvent};
use crate::types::{Ballot, NodeId, NodeSet, Slot, Value};

/// The votes seen for one undecided slot: per (ballot, value), the acceptors that accepted it.
type Votes = Vec<(Ballot, Value, NodeSet)>;

/// A learner's volatile state; a crash loses it and the learner catches up from the leader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Learner {
    votes: BTreeMap<Slot, Votes>,
    /// The learned values.
    pub log: BTreeMap<Slot, Value>,
    /// The first slot not learned: slots `..prefix` are all learned and applied.
    pub prefix: Slot,
    /// The transaction-ID state machine, applied to the learned prefix.
    pub txn: TxnTable,
}

/// The seed's state machine: each `Txn` request in log order receives the next transaction ID, once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TxnTable {
    /// The next ID to hand out.
    pub next_id: u64,
    /// The ID each request received, keyed by (client, request).
    pub ids: BTreeMap<(u32, u32), u64>,
}

impl Learner {
    /// Counts one acceptor's vote. Returns the value if this vote completed a phase-2 quorum.
    pub(crate) fn on_accepted(
        &mut self,
        io: &mut Io<'_>,
        from: NodeId,
        ballot: Ballot,
        slot: Slot,
        value: Value,
    ) -> Option<Value> {
        if self.log.contains_key(&slot) {
            return None;
        }
        let votes = self.votes.entry(slot).or_default();
        let i = match votes.iter().position(|(b, v, _)| *b == ballot && *v == value) {
            Some(i) => i,
            None => {
                votes.push((ballot, value, NodeSet::EMPTY));
                votes.len() - 1
            }
        };
        votes[i].2.insert(from);
        // Learning on q2 votes of one (ballot, value) is safe because any later ballot's phase-1 quorum meets these
        // q2 acceptors (q1 + q2 > n) and so adopts this value.
        if votes[i].2.len() >= io.cluster.q2 {
            let value = votes[i].1.clone();
            self.learn(io, slot, value.clone());
            return Some(value);
        }
        None
    }

    /// Records a chosen value; returns false if the slot was already learned.
    pub(crate) fn learn(&mut self, io: &mut Io<'_>, slot: Slot, value: Value) -> bool {
        if self.log.contains_key(&slot) {
            return false;
        }
        self.votes.remove(&slot);
        self.log.insert(slot, value.clone());
        io.emit(NodeEvent::Learned { slot, value });
        while let Some(v) = self.log.get(&self.prefix) {
            if let Value::Txn { client, req } = *v {
                if let std::collections::btree_map::Entry::Vacant(e) = self.txn.ids.entry((client, req)) {
                    let id = self.txn.next_id;
                    e.insert(id);
                    self.txn.next_id += 1;
                    io.emit(NodeEvent::Allocated { slot: self.prefix, client, req, id });
                }
            }
            self.prefix = self.prefix.next();
        }
        true
    }

    /// The slots that have votes but no learned value yet, with their votes.
    pub fn pending(&self) -> impl Iterator<Item = (Slot, &[(Ballot, Value, NodeSet)])> {
        self.votes.iter().map(|(s, v)| (*s, v.as_slice()))
    }
}
