//! Terms and log entries. Node ids, slots and values are paxos-core's, so the two protocols speak of the same things.

use std::fmt;

use paxos_core::{Slot, Value};
use serde::{Deserialize, Serialize};

/// A term: Raft's logical clock, and the part a ballot's round plays in Paxos. Each term has at most one leader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Term(pub u32);

impl Term {
    /// The term every node starts in; no leader is ever elected in it.
    pub const ZERO: Term = Term(0);

    /// The term after this one.
    pub fn next(self) -> Term {
        Term(self.0.saturating_add(1))
    }
}

impl fmt::Display for Term {
    /// `t3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}", self.0)
    }
}

/// A log entry: a value and the term of the leader that appended it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// The term in which a leader appended it.
    pub term: Term,
    /// The value: a client's, or the no-op a leader appends at the start of its term.
    pub value: Value,
}

/// Names one entry by its slot and term. By the Log Matching property, two logs that hold the same `EntryId` hold
/// the same entries up to it.
///
/// The derived order (term first, then slot) is §5.4.1's "more up-to-date": the log whose last entry has the later
/// term is more up-to-date, and with equal terms the longer log is. An empty log (`None`) is below every other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntryId {
    /// The entry's term.
    pub term: Term,
    /// Its position in the log (from 0, as Multi-Paxos slots).
    pub slot: Slot,
}

impl fmt::Display for EntryId {
    /// `[2] t1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.slot, self.term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_last_term_is_more_up_to_date_than_a_longer_log() {
        let id = |term, slot| Some(EntryId { term: Term(term), slot: Slot(slot) });
        assert!(id(3, 1) > id(2, 9), "the later term wins whatever the length");
        assert!(id(2, 4) > id(2, 3), "with equal terms the longer log wins");
        assert!(None < id(1, 0), "an empty log is the least up-to-date");
        assert_eq!((Term(3).to_string(), id(1, 2).unwrap().to_string()), ("t3".to_string(), "[2] t1".to_string()));
    }
}
