//! Raft's node events in words: one wording for the event log, the transcripts and the page, in the vocabulary the
//! Paxos words use where the two protocols correspond (a term where a ballot was, `[slot]` for a log index).

use raft_core::{NodeEvent, Refusal};

/// A node's decision in words.
pub fn describe_node_event(e: &NodeEvent) -> String {
    match e {
        NodeEvent::NewTerm { term, previous } => format!("moved to term {term} (was {previous})"),
        NodeEvent::Campaigned { term, last: Some(last) } => format!("campaigning in {term}, last entry {last}"),
        NodeEvent::Campaigned { term, last: None } => format!("campaigning in {term}, log empty"),
        NodeEvent::Voted { term, candidate } => format!("voted for node {candidate} in {term}"),
        NodeEvent::Refused { term, candidate, reason } => {
            format!("refused node {candidate} its vote in {term}: {}", refusal(reason))
        }
        NodeEvent::Elected { term, votes } => format!("elected leader of {term} by {votes}"),
        NodeEvent::Appended { slot, term, value } => format!("appended [{slot}] {value} of {term}"),
        NodeEvent::Truncated { from, removed } => {
            let s = if *removed == 1 { "y" } else { "ies" };
            format!("deleted {removed} entr{s} from [{from}] on, conflicting with the leader's")
        }
        NodeEvent::Inconsistent { term, prev } => format!("refused append_entries of {term}: no entry {prev}"),
        NodeEvent::BackedOff { follower, next } => format!("backed off: sends node {follower} from [{next}]"),
        NodeEvent::Counted { slot, term, leader_term, replicas } if term == leader_term => {
            format!("counted [{slot}] of {term} on {replicas}: a majority")
        }
        NodeEvent::Counted { slot, term, leader_term, replicas } => format!(
            "counted [{slot}] of the earlier {term} on {replicas} as committed in {leader_term} (commit-old-term bug)"
        ),
        NodeEvent::Committed { slot, term, value } => format!("committed [{slot}] {value} of {term}"),
        NodeEvent::SteppedDown { term } => {
            format!("stepped down as leader of {term}: the configuration without it is committed")
        }
        NodeEvent::Ignored { term, candidate } => {
            format!(
                "ignored node {candidate}'s request_vote of {term}: not in its configuration, and a leader is heard"
            )
        }
        NodeEvent::Allocated { slot, client, req, id } => format!("allocated [{slot}] txn {client}/{req} -> id {id}"),
    }
}

fn refusal(r: &Refusal) -> String {
    match r {
        Refusal::StaleTerm { current } => format!("its term {current} is later"),
        Refusal::AlreadyVoted { voted_for } => format!("already voted for node {voted_for}"),
        Refusal::LogBehind { mine, theirs: Some(theirs) } => {
            format!("its log ({mine}) is more up to date than the candidate's ({theirs})")
        }
        Refusal::LogBehind { mine, theirs: None } => format!("its log ({mine}) is more up to date than the empty one"),
    }
}
