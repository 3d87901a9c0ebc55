//! Paxos's node events in words: one wording for the event log, the transcripts and the page (the quorum overlay,
//! the chip's explanation, the fate of a duel's loser).

use paxos_core::{AbandonReason, NodeEvent};

/// Whether a proposer's `Adopted` event passed over the highest-ballot value its phase-1 quorum reported: only a
/// bug does (ignore-accepted, adopt-lowest); correct Paxos passes over at most an older ballot's value.
pub fn passed_over_the_highest(e: &NodeEvent) -> bool {
    match e {
        NodeEvent::Adopted { from, passed_over: Some((b, _)), .. } => from.is_none_or(|f| *b > f),
        _ => false,
    }
}

/// A node's decision in words. A proposer's choice of value ([`NodeEvent::Adopted`]) and the reason it gave a ballot
/// up ([`NodeEvent::Abandoned`]) read the same in the log and on the page (the quorum overlay, the chip's
/// explanation, the fate of a duel's loser), each bug's in one wording.
pub fn describe_node_event(e: &NodeEvent) -> String {
    match e {
        NodeEvent::Promised { ballot, previous } => format!("promised {ballot} (was {previous})"),
        NodeEvent::Accepted { slot, ballot, value } => format!("accepted [{slot}] {value} at {ballot}"),
        NodeEvent::Rejected { ballot, promised } => format!("rejected {ballot} (promised {promised})"),
        NodeEvent::Preparing { ballot } => format!("preparing {ballot}"),
        NodeEvent::Elected { ballot } => format!("phase 1 complete for {ballot}"),
        NodeEvent::Adopted { slot, value, from: None, passed_over: None, .. } => {
            format!("proposes [{slot}] {value} (no accepted value reported)")
        }
        NodeEvent::Adopted { slot, value, .. } => format!("proposes [{slot}] {value}, {}", why_proposed(e)),
        NodeEvent::Committed { slot, ballot, value } => format!("quorum accepted [{slot}] {value} at {ballot}"),
        NodeEvent::Abandoned { ballot, reason } => format!("abandoned {ballot}, {}", describe_reason(reason)),
        NodeEvent::Learned { slot, value } => format!("learned [{slot}] {value}"),
        NodeEvent::Allocated { slot, client, req, id } => format!("allocated [{slot}] txn {client}/{req} -> id {id}"),
    }
}

/// Why a proposer's `Adopted` event sent its value to phase 2: "adopted from the highest accepted ballot 1.0", "its
/// own value, as no promise reported an accepted one", or the bug that passed a higher one over. Empty for any other
/// event.
pub fn why_proposed(e: &NodeEvent) -> String {
    let NodeEvent::Adopted { from, passed_over, .. } = e else { return String::new() };
    match (from, passed_over) {
        (None, None) => "its own value, as no promise reported an accepted one".into(),
        (None, Some((b, v))) => {
            format!("ignoring {v} accepted at {b} that a promise reported (ignore-accepted bug)")
        }
        (Some(f), Some((b, v))) if b > f => {
            format!("adopted from ballot {f}, passing over {v} accepted at the higher ballot {b} (adopt-lowest bug)")
        }
        (Some(f), Some((b, v))) => format!("adopted from the highest accepted ballot {f}, over {v} at {b}"),
        (Some(f), None) => format!("adopted from the highest accepted ballot {f}"),
    }
}

fn describe_reason(r: &AbandonReason) -> String {
    match r {
        AbandonReason::Rejected { promised, acceptor: Some(a) } => format!("pre-empted by {promised} at node {a}"),
        AbandonReason::Rejected { promised, acceptor: None } => format!("pre-empted by {promised}"),
        AbandonReason::Timeout => "timed out".into(),
        AbandonReason::Superseded { by } => format!("superseded by leader {by}"),
    }
}
