//! How the page draws and remembers Raft.

use paxos_core::{NodeId, Slot, Value};
use paxos_sim::{Raft, Violation};
use raft_core::{Msg, MsgKind, NodeEvent, Term};

use super::Look;

impl Look for Raft {
    type Kind = MsgKind;
    const KINDS: &'static [MsgKind] = &MsgKind::ALL;
    /// Raft's history needs nothing beyond the shared log: its node views hold its whole state.
    type Notes = ();

    fn kind_of(m: &Msg) -> MsgKind {
        m.kind()
    }

    fn kind_name(k: MsgKind) -> &'static str {
        k.name()
    }

    /// A forwarded client value, and the value of an AppendEntries that carries exactly one entry.
    fn carried_value(m: &Msg) -> Option<&Value> {
        match m {
            Msg::Propose { value } => Some(value),
            Msg::AppendEntries { entries, .. } if entries.len() == 1 => Some(&entries[0].value),
            _ => None,
        }
    }

    fn allocated(e: &NodeEvent) -> Option<(Slot, u64)> {
        match e {
            NodeEvent::Allocated { slot, id, .. } => Some((*slot, *id)),
            _ => None,
        }
    }

    fn note(_: &mut (), _: NodeId, _: &NodeEvent) {}

    fn note_command(_: &mut (), _: &paxos_sim::Command) {}

    fn note_violation(_: &mut (), _: &Violation<Raft>) -> Option<(Slot, Term)> {
        None
    }
}
