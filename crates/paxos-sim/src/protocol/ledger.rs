//! What every protocol's checker judges alike, whatever decides a value: the value decided in each slot (at most one:
//! agreement, which Raft calls State Machine Safety), that a client proposed it (validity), and the transaction IDs
//! the replicas hand out as they apply the log (the workload's two rules). A judge (`protocol/<name>/judge.rs`)
//! says when its protocol decided a value and names each breach in its own rules.

use litemap::LiteMap;
use paxos_core::{Log, NodeId, Slot, Value};

use crate::checker::Chosen;
use crate::protocol::Protocol;

/// A shared rule a ledger found broken, with the sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Breach {
    /// A second value decided in a slot: the values, the first one first.
    Agreement(Vec<Value>, String),
    /// A decided value no client proposed.
    Validity(String),
    /// A transaction ID handed out to two requests, or a request given two IDs.
    TxnIdReused(String),
    /// Transaction IDs out of log order at one replica.
    TxnIdOrder(String),
}

/// A workload rule broken, with the sentence for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxnBreach {
    /// A transaction ID handed out to two requests, or a request given two IDs.
    Reused(String),
    /// Transaction IDs out of log order at one replica.
    Order(String),
}

/// The workload's two rules, as every protocol's replicas hand out transaction IDs while applying their logs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Txns {
    owner: LiteMap<u64, (u32, u32)>,
    id: LiteMap<(u32, u32), u64>,
    /// Per replica: the last (slot, id) it handed out since its last restart.
    last: Vec<Option<(Slot, u64)>>,
}

impl Txns {
    /// Nothing handed out yet, by `nodes` replicas.
    pub fn new(nodes: usize) -> Txns {
        Txns { owner: LiteMap::new(), id: LiteMap::new(), last: vec![None; nodes] }
    }

    /// `who` `node` (the protocol's word for a replica: "learner", "node"), applying `slot`, handed out transaction
    /// ID `id` to request `req` of `client`.
    pub fn allocated(
        &mut self,
        who: &str,
        node: NodeId,
        slot: Slot,
        client: u32,
        req: u32,
        id: u64,
    ) -> Option<TxnBreach> {
        let request = (client, req);
        let owner = self.owner.get(&id).copied();
        if let Some(o) = owner.filter(|o| *o != request) {
            let msg = format!("transaction ID {id} handed out twice: to request {}/{} and to {client}/{req}", o.0, o.1);
            return Some(TxnBreach::Reused(msg));
        }
        // The first replica to hand out an ID records it; the others only need the order check below.
        if owner.is_none() {
            if let Some(other) = self.id.get(&request).filter(|o| **o != id) {
                return Some(TxnBreach::Reused(format!(
                    "request {client}/{req} received transaction IDs {other} and {id}"
                )));
            }
            self.owner.insert(id, request);
            self.id.insert(request, id);
        }
        let last = self.last[node.index()].replace((slot, id));
        let expected = last.map_or(0, |(_, i)| i + 1);
        (id != expected || last.is_some_and(|(s, _)| s >= slot)).then(|| {
            TxnBreach::Order(format!(
                "{who} {node} handed out ID {id} in slot {slot}, out of log order (expected {expected})"
            ))
        })
    }

    /// Replica `node` restarted: it applies its log from the start again.
    pub fn restarted(&mut self, node: NodeId) {
        self.last[node.index()] = None;
    }

    /// One more replica (a node joined).
    pub fn grow(&mut self) {
        self.last.push(None);
    }
}

/// The shared part of a checker's state: what was decided, what was proposed, the workload's IDs; `Clone + Hash`
/// for the explorer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ledger<P: Protocol> {
    chosen: Log<Chosen<P>>,
    also: Vec<(Slot, Chosen<P>)>,
    proposed: LiteMap<Value, ()>,
    txns: Txns,
}

impl<P: Protocol> Ledger<P> {
    /// A ledger for `nodes` replicas, with nothing decided.
    pub fn new(nodes: usize) -> Ledger<P> {
        Ledger { chosen: Log::new(), also: Vec::new(), proposed: LiteMap::new(), txns: Txns::new(nodes) }
    }

    /// The value decided first in each slot.
    pub fn chosen(&self) -> &Log<Chosen<P>> {
        &self.chosen
    }

    /// Values decided in a slot after a different one was, in the order they were.
    pub fn also_chosen(&self) -> &[(Slot, Chosen<P>)] {
        &self.also
    }

    /// A client proposed `v`.
    pub fn propose(&mut self, v: &Value) {
        self.proposed.insert(v.clone(), ());
    }

    /// `c` was decided in `slot`: returns it if it is news (the first decision there, or a second value), and the
    /// shared rules it broke.
    pub fn decide(&mut self, slot: Slot, c: Chosen<P>) -> (Option<(Slot, Chosen<P>)>, Vec<Breach>) {
        let mut breaches = Vec::new();
        match self.chosen.get(&slot) {
            Some(first) if first.value == c.value => return (None, breaches),
            Some(first) => {
                if self.also.iter().any(|(s, o)| *s == slot && o.value == c.value) {
                    return (None, breaches);
                }
                let msg = format!("{} was decided in slot {slot} after {} was", c.value, first.value);
                breaches.push(Breach::Agreement(vec![first.value.clone(), c.value.clone()], msg));
                self.also.push((slot, c.clone()));
            }
            None => {
                self.chosen.insert(slot, c.clone());
            }
        }
        if c.value != Value::Noop && !self.proposed.contains_key(&c.value) {
            breaches
                .push(Breach::Validity(format!("{} was decided in slot {slot} but no client proposed it", c.value)));
        }
        (Some((slot, c)), breaches)
    }

    /// Replica `node`, applying `slot`, handed out transaction ID `id` to request `req` of `client`.
    pub fn allocated(&mut self, node: NodeId, slot: Slot, client: u32, req: u32, id: u64) -> Option<Breach> {
        self.txns.allocated("node", node, slot, client, req, id).map(|b| match b {
            TxnBreach::Reused(m) => Breach::TxnIdReused(m),
            TxnBreach::Order(m) => Breach::TxnIdOrder(m),
        })
    }

    /// Replica `node` restarted: it applies its log from the start again.
    pub fn restarted(&mut self, node: NodeId) {
        self.txns.restarted(node)
    }

    /// One more replica (a node joined).
    pub fn grow(&mut self) {
        self.txns.grow()
    }

    /// The ledger as the explorer compares states: the round and quorum that decided a slot name a violation but
    /// decide none, and the order of second decisions does not matter.
    pub fn explorer_key(&self, zero: P::Round) -> Ledger<P> {
        let mut k = self.clone();
        let mut chosen = Log::new();
        for (slot, c) in self.chosen.iter() {
            chosen.insert(slot, Chosen { value: c.value.clone(), ballot: zero, quorum: paxos_core::NodeSet::EMPTY });
        }
        k.chosen = chosen;
        for (_, c) in &mut k.also {
            (c.ballot, c.quorum) = (zero, paxos_core::NodeSet::EMPTY);
        }
        k.also.sort_by(|a, b| (a.0, &a.1.value).cmp(&(b.0, &b.1.value)));
        k.also.dedup();
        k
    }
}
