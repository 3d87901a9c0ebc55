//! Identifiers and values: small newtypes with a derived total order.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The largest cluster the core supports; node sets are 64-bit masks.
pub const MAX_NODES: usize = 64;

/// A node's identity: its index in the cluster configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u8);

impl NodeId {
    /// The node's index into per-node vectors.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A ballot (proposal number). Ballots are ordered by round, then by the proposing node, so two proposers never
/// use the same ballot and every pair of ballots is comparable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ballot {
    /// The round; 0 is the bottom ballot that no proposer uses.
    pub round: u32,
    /// The proposer that owns the ballot.
    pub node: NodeId,
}

impl Ballot {
    /// The bottom ballot: below every ballot a proposer can use. An acceptor starts promised to it.
    pub const ZERO: Ballot = Ballot { round: 0, node: NodeId(0) };

    /// Whether this is the bottom ballot.
    pub fn is_zero(self) -> bool {
        self.round == 0
    }
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.round, self.node)
    }
}

/// A position in the replicated log. Single-decree Paxos uses slot 0 only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slot(pub u64);

impl Slot {
    /// The slot after this one.
    pub fn next(self) -> Slot {
        Slot(self.0 + 1)
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A value to agree on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Fills a log gap that a new leader found; it changes nothing.
    Noop,
    /// The seed's workload: "allocate the next transaction ID" for request `req` of client `client`. The ID a
    /// request receives is its position among the allocations in log order (see [`crate::learner::TxnTable`]).
    Txn {
        /// The requesting client.
        client: u32,
        /// The client's request number; a request allocated twice keeps its first ID.
        req: u32,
    },
    /// A free-form client value.
    Text(Arc<str>),
    /// Multi-Paxos membership change: the acceptors after it. It is in force from [`ALPHA`] slots after the slot that
    /// chose it (see [`Configs`]).
    Config(NodeSet),
}

impl Value {
    /// A free-form value.
    pub fn text(s: &str) -> Value {
        Value::Text(Arc::from(s))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Noop => write!(f, "no-op"),
            Value::Txn { client, req } => write!(f, "txn {client}/{req}"),
            Value::Text(s) => write!(f, "{s}"),
            Value::Config(m) => write!(f, "config {m}"),
        }
    }
}

/// A set of nodes as a bit mask; ordered and hashable so states can be compared and deduplicated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeSet(pub u64);

impl NodeSet {
    /// The empty set.
    pub const EMPTY: NodeSet = NodeSet(0);

    /// Adds a node; returns whether it was new.
    pub fn insert(&mut self, id: NodeId) -> bool {
        let bit = 1u64 << id.0;
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }

    /// Whether the node is in the set.
    pub fn contains(self, id: NodeId) -> bool {
        self.0 & (1u64 << id.0) != 0
    }

    /// The number of nodes in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The nodes in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (0..64u8).filter(move |i| self.0 & (1u64 << i) != 0).map(NodeId)
    }
}

impl fmt::Display for NodeSet {
    /// `{0, 2}`; `{}` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{")?;
        for (i, id) in self.iter().enumerate() {
            write!(f, "{}{id}", if i == 0 { "" } else { ", " })?;
        }
        write!(f, "}}")
    }
}

impl FromIterator<NodeId> for NodeSet {
    fn from_iter<I: IntoIterator<Item = NodeId>>(iter: I) -> Self {
        let mut s = NodeSet::EMPTY;
        for id in iter {
            s.insert(id);
        }
        s
    }
}

/// How many slots after the slot that chose it a configuration takes effect ("Paxos Made Simple", end of §3):
/// it bounds the leader's pipeline, for a leader may propose in slot `s` only once it knows slots `..=s - ALPHA`
/// chosen, which fixes the configuration of `s`.
pub const ALPHA: u64 = 3;

/// The configurations chosen so far, by slot: what a proposer, a learner and the checker each know of membership.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Configs(pub Vec<(Slot, NodeSet)>);

impl Configs {
    /// Records a value chosen in `slot`; only a [`Value::Config`] changes anything.
    pub fn note(&mut self, slot: Slot, value: &Value) {
        if let Value::Config(m) = value {
            let at = self.0.partition_point(|(s, _)| *s < slot);
            if self.0.get(at).is_none_or(|(s, _)| *s != slot) {
                self.0.insert(at, (slot, *m));
            }
        }
    }

    /// The acceptors in force in slot `s`: those of the last configuration chosen in a slot `c` with
    /// `c + ALPHA <= s`, else `initial`. Right only when every slot up to `s - ALPHA` is known to be chosen.
    pub fn at(&self, initial: NodeSet, s: Slot) -> NodeSet {
        self.0.iter().rev().find(|(c, _)| c.0 + ALPHA <= s.0).map_or(initial, |(_, m)| *m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_order_by_round_then_node() {
        let b = |round, node| Ballot { round, node: NodeId(node) };
        assert!(b(1, 2) < b(2, 0));
        assert!(b(2, 0) < b(2, 1));
        assert!(Ballot::ZERO < b(1, 0));
        assert_eq!(b(3, 1).to_string(), "3.1");
    }

    #[test]
    fn a_configuration_is_in_force_alpha_slots_after_its_slot() {
        let (a, b) = (NodeSet(0b111), NodeSet(0b1011));
        let mut c = Configs::default();
        c.note(Slot(4), &Value::Config(b));
        c.note(Slot(2), &Value::Noop);
        assert_eq!((c.at(a, Slot(6)), c.at(a, Slot(7)), c.at(a, Slot(100))), (a, b, b));
        c.note(Slot(1), &Value::Config(NodeSet(0b11)));
        assert_eq!((c.at(a, Slot(3)), c.at(a, Slot(4)), c.at(a, Slot(7))), (a, NodeSet(0b11), b));
        assert_eq!(Value::Config(b).to_string(), "config {0, 1, 3}");
    }

    #[test]
    fn node_set_counts_and_iterates() {
        let mut s = NodeSet::EMPTY;
        assert!(s.insert(NodeId(3)));
        assert!(!s.insert(NodeId(3)));
        s.insert(NodeId(0));
        assert_eq!(s.len(), 2);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![NodeId(0), NodeId(3)]);
        assert!(s.contains(NodeId(0)) && !s.contains(NodeId(1)));
        assert_eq!((s.to_string(), NodeSet::EMPTY.to_string()), ("{0, 3}".to_string(), "{}".to_string()));
    }
}
