//! The acceptor: the only role whose state must survive a crash, all of it in [`Durable`].

use serde::{Deserialize, Serialize};

use crate::io::{Io, NodeEvent};
use crate::log::Log;
use crate::msg::{Msg, PValue};
use crate::types::{Ballot, NodeId, Slot, Value};

/// Everything a node must keep on stable storage. A crash keeps exactly this and drops the rest of the node, so a
/// restart cannot forget a promise by accident (only the `amnesia` bug forgets the acceptor's part, on purpose).
///
/// The caller must persist it before sending the messages of the same call, as etcd's raft persists `HardState`
/// before sending: a promise that was sent but not stored could be broken after a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Durable {
    /// Acceptor: the highest ballot promised; the acceptor ignores prepares and accepts below it.
    pub promised: Ballot,
    /// Acceptor: per slot, the highest-ballot proposal accepted.
    pub accepted: Log<(Ballot, Value)>,
    /// Proposer: the highest ballot round it has used or seen. Without it, a restarted proposer would use the same
    /// ballot again for a different value, and two values could be chosen "in one ballot".
    pub round: u32,
}

/// Handles phase 1a. Promising an equal ballot again is harmless (a duplicated prepare), so `>=`.
pub(crate) fn on_prepare(d: &mut Durable, io: &mut Io<'_>, from: NodeId, ballot: Ballot, first: Slot) {
    if ballot < d.promised {
        io.emit(NodeEvent::Rejected { ballot, promised: d.promised });
        io.send(from, Msg::Reject { ballot, promised: d.promised });
        return;
    }
    let previous = d.promised;
    d.promised = ballot;
    io.emit(NodeEvent::Promised { ballot, previous });
    let accepted =
        d.accepted.range_from(first).map(|(slot, (b, v))| PValue { slot, ballot: *b, value: v.clone() }).collect();
    io.send(from, Msg::Promise { ballot, accepted });
}

/// Handles phase 2a: accept unless a higher ballot was promised, and tell the proposer and every learner.
pub(crate) fn on_accept(d: &mut Durable, io: &mut Io<'_>, from: NodeId, ballot: Ballot, slot: Slot, value: Value) {
    // The promise made in phase 1: nothing below it is accepted, so a proposer that saw this acceptor's accepted
    // values in its phase 1 cannot be overtaken by an older ballot (the break-promise bug skips this check).
    if ballot < d.promised && !io.cluster.config.bugs.break_promise {
        io.emit(NodeEvent::Rejected { ballot, promised: d.promised });
        io.send(from, Msg::Reject { ballot, promised: d.promised });
        return;
    }
    let previous = d.promised;
    if ballot > previous {
        d.promised = ballot;
        io.emit(NodeEvent::Promised { ballot, previous });
    }
    d.accepted.insert(slot, (ballot, value.clone()));
    io.emit(NodeEvent::Accepted { slot, ballot, value: value.clone() });
    let cluster = io.cluster;
    if !cluster.roles(from).learner {
        io.send(from, Msg::Accepted { ballot, slot, value: value.clone() });
    }
    for &l in &cluster.learners {
        io.send(l, Msg::Accepted { ballot, slot, value: value.clone() });
    }
}
