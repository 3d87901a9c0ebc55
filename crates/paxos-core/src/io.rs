//! What the roles produce and may touch: the decisions a node reports ([`NodeEvent`], [`AbandonReason`]) and the
//! handle a role handler writes its messages and decisions through (`Io`). The roles and [`Node`](crate::Node)
//! build on this module; it depends on none of them.

use serde::{Deserialize, Serialize};

use crate::config::Cluster;
use crate::msg::{Envelope, Msg};
use crate::types::{Ballot, NodeId, Slot, Value};

/// Something a node decided, reported for the simulator, the safety checker and the event log. Outputs that
/// change no message are only visible here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeEvent {
    /// Acceptor: promised `ballot`, raising its promise from `previous`.
    Promised {
        /// The new promise.
        ballot: Ballot,
        /// The promise before.
        previous: Ballot,
    },
    /// Acceptor: accepted `value` in `slot` at `ballot`.
    Accepted {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
    },
    /// Acceptor: refused `ballot`, having promised `promised`.
    Rejected {
        /// The refused ballot.
        ballot: Ballot,
        /// The acceptor's promise.
        promised: Ballot,
    },
    /// Proposer: started phase 1 with `ballot`.
    Preparing {
        /// The new ballot.
        ballot: Ballot,
    },
    /// Proposer: a phase-1 quorum promised `ballot` (in Multi-Paxos, this node became the leader).
    Elected {
        /// The ballot.
        ballot: Ballot,
    },
    /// Proposer: sends `value` to phase 2 in `slot`; `from` is the ballot of the accepted proposal it adopted, or
    /// `None` when no promise reported one (its own value, or a no-op filling a gap); `passed_over` what it did not
    /// adopt. Correct Paxos adopts the highest ballot's value and passes over only an older ballot's; passing over
    /// a ballot above `from` (or any, with `from` `None`) is a bug's doing.
    Adopted {
        /// The slot.
        slot: Slot,
        /// The proposer's ballot.
        ballot: Ballot,
        /// The value proposed.
        value: Value,
        /// The ballot of the adopted accepted proposal.
        from: Option<Ballot>,
        /// The highest-ballot accepted proposal the phase-1 quorum reported in `slot`, if the proposer did not adopt
        /// it (the ignore-accepted and adopt-lowest bugs); otherwise the highest reported with another value than
        /// `value` (an older ballot's, which the highest outranked). Added in trace version 2: older traces have
        /// none, and a trace leaves it out when there is none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        passed_over: Option<(Ballot, Value)>,
    },
    /// Proposer: a phase-2 quorum accepted `value` in `slot` at `ballot`.
    Committed {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
    },
    /// Proposer: gave up `ballot`.
    Abandoned {
        /// The ballot given up.
        ballot: Ballot,
        /// Why.
        reason: AbandonReason,
    },
    /// Learner: learned `value` in `slot`.
    Learned {
        /// The slot.
        slot: Slot,
        /// The value.
        value: Value,
    },
    /// Learner: applying `slot` handed out transaction ID `id` to request `req` of `client`.
    Allocated {
        /// The slot.
        slot: Slot,
        /// The client.
        client: u32,
        /// The client's request.
        req: u32,
        /// The transaction ID.
        id: u64,
    },
}

/// Why a proposer gave up a ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AbandonReason {
    /// An acceptor had promised a higher ballot: the proposer was pre-empted there.
    Rejected {
        /// That ballot.
        promised: Ballot,
        /// The acceptor whose refusal it was. Added in trace version 3: older traces have none (and `None` is
        /// left out of a trace).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acceptor: Option<NodeId>,
    },
    /// The phase did not complete in time.
    Timeout,
    /// A leader with a higher ballot is alive.
    Superseded {
        /// Its ballot.
        by: Ballot,
    },
}

/// What a role handler may touch besides its own state: who we are, the cluster, and the output buffers.
pub(crate) struct Io<'a> {
    pub id: NodeId,
    pub cluster: &'a Cluster,
    pub(crate) out: &'a mut Vec<Envelope>,
    pub(crate) events: &'a mut Vec<NodeEvent>,
}

impl Io<'_> {
    pub fn send(&mut self, to: NodeId, msg: Msg) {
        self.out.push(Envelope { from: self.id, to, msg });
    }

    pub fn emit(&mut self, event: NodeEvent) {
        self.events.push(event);
    }
}
