//! The learner: learns a value once a phase-2 quorum accepted it in one ballot, and applies the log in order.

use litemap::LiteMap;

use crate::io::{Io, NodeEvent};
use crate::log::Log;
use crate::types::{Ballot, Configs, NodeId, NodeSet, Slot, Value, ALPHA};

/// A vote tally: in `slot`, the acceptors that accepted `value` at `ballot`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Tally {
    slot: Slot,
    ballot: Ballot,
    value: Value,
    acceptors: NodeSet,
}

/// A learner's volatile state; a crash loses it and the learner catches up from the leader.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Learner {
    /// Tallies for the slots not learned yet. Few slots are open at once (the leader's window), so a flat vector
    /// scanned linearly beats a map here, and it is the hottest structure of a steady-state run.
    votes: Vec<Tally>,
    /// The learned values.
    pub log: Log<Value>,
    /// The first slot not learned: slots `..prefix` are all learned and applied.
    pub prefix: Slot,
    /// The transaction-ID state machine, applied to the learned prefix.
    pub txn: TxnTable,
    /// The configurations learned, which say whose votes count in each slot.
    pub configs: Configs,
}

/// The seed's state machine: each `Txn` request in log order receives the next transaction ID, once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TxnTable {
    /// The next ID to hand out.
    pub next_id: u64,
    /// The ID each request received, keyed by (client, request).
    pub ids: LiteMap<(u32, u32), u64>,
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
        // Most votes arrive after their slot is learned; the prefix answers for those without a map lookup.
        if slot < self.prefix || self.log.contains_key(&slot) {
            return None;
        }
        let i = match self.votes.iter().position(|t| t.slot == slot && t.ballot == ballot && t.value == value) {
            Some(i) => i,
            None => {
                self.votes.push(Tally { slot, ballot, value, acceptors: NodeSet::EMPTY });
                self.votes.len() - 1
            }
        };
        self.votes[i].acceptors.insert(from);
        // Learning on q2 votes of one (ballot, value) is safe because any later ballot's phase-1 quorum meets these
        // q2 acceptors (q1 + q2 > n) and so adopts this value. The votes that count are those of the configuration
        // in force in the slot, known once every slot up to `slot - ALPHA` is learned; until then a later vote or
        // the leader's `decided` teaches it.
        let members = self.configs.at(io.cluster.members, slot);
        if slot.0 < self.prefix.0 + ALPHA && io.cluster.quorum_of(members, self.votes[i].acceptors, true) {
            let value = self.votes[i].value.clone();
            self.learn(io, slot, value.clone());
            return Some(value);
        }
        None
    }

    /// Records a chosen value; returns false if the slot was already learned.
    pub(crate) fn learn(&mut self, io: &mut Io<'_>, slot: Slot, value: Value) -> bool {
        if slot < self.prefix || self.log.contains_key(&slot) {
            return false;
        }
        self.votes.retain(|t| t.slot != slot);
        self.configs.note(slot, &value);
        self.log.insert(slot, value.clone());
        io.emit(NodeEvent::Learned { slot, value });
        while let Some(v) = self.log.get(&self.prefix) {
            if let Value::Txn { client, req } = *v {
                if let litemap::Entry::Vacant(e) = self.txn.ids.entry((client, req)) {
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

    /// The votes counted for slots not learned yet: (slot, ballot, value, acceptors).
    pub fn pending(&self) -> impl Iterator<Item = (Slot, Ballot, &Value, NodeSet)> {
        self.votes.iter().map(|t| (t.slot, t.ballot, &t.value, t.acceptors))
    }
}
