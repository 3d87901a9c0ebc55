//! Compare: Multi-Paxos and Raft side by side, one timeline, the same commands applied to both
//! (`components::compare` draws them), and the differences named where they show. This module is the second half:
//! plain Rust, tested natively, it reads the two runs at the time shown and says, in sentences, where Raft does what
//! Multi-Paxos would not: a candidate refused for a log behind (where a Multi-Paxos node leads and adopts what it
//! lacks), a follower's log repaired (where Multi-Paxos fills a gap with a no-op), an older term's entry a leader must
//! not count as committed.

use paxos_core::{NodeId, Slot, Value};
use paxos_sim::snapshot::RaftRole;
use paxos_sim::{Paxos, Raft};

use crate::components::node_list;
use crate::state::AppState;

/// A difference, at the simulated time it showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// When it showed (for a state that holds now, the time shown).
    pub time: u64,
    /// Its kind, as the page's class: `diff-elect`, `diff-repair`, `diff-old-term`.
    pub class: &'static str,
    /// The sentence.
    pub text: String,
}

/// Every difference shown by the time of the runs shown, oldest first.
pub fn differences(paxos: &AppState<Paxos>, raft: &AppState<Raft>) -> Vec<Difference> {
    let mut out = Vec::new();
    let re = raft.run.engine();
    let notes = &re.history().notes;
    let now = raft.run.clock.max(paxos.run.clock) as u64;
    // A candidate refused for a log behind, once per candidate and term, with every voter that refused.
    let mut seen: Vec<(NodeId, u32)> = Vec::new();
    for b in &notes.behind {
        if seen.contains(&(b.candidate, b.term.0)) {
            continue;
        }
        seen.push((b.candidate, b.term.0));
        let voters: Vec<NodeId> =
            notes.behind.iter().filter(|x| x.candidate == b.candidate && x.term == b.term).map(|x| x.voter).collect();
        let theirs = b.theirs.map_or("empty".to_owned(), |e| format!("ending in {e}"));
        let c = b.candidate;
        let paxos_now = match paxos.run.snap.nodes.get(c.index()) {
            Some(n) if n.leader && n.up => format!(
                "In Multi-Paxos node {c} leads now (ballot {}): a leader need not hold every value, because its \
                 prepare's promises report what the acceptors accepted, and it adopts the highest value of each slot.",
                n.ballot.map_or("?".to_owned(), |b| b.to_string())
            ),
            _ => "In Multi-Paxos a node with a shorter log can lead: its prepare's promises report what the \
                  acceptors accepted, and it adopts the highest value of each slot before proposing."
                .to_owned(),
        };
        out.push(Difference {
            time: b.time,
            class: "diff-elect",
            text: format!(
                "Node {c} cannot become Raft's leader in term {}: {}. A Raft leader must already hold every committed \
                 entry, so no node votes for a candidate whose log may lack one. {paxos_now}",
                b.term.0,
                match voters.as_slice() {
                    [v] => format!(
                        "node {v} refused its vote, because its log (ending in {}) is more up to date than \
                                    node {c}'s ({theirs})",
                        b.mine
                    ),
                    _ => format!(
                        "nodes {} refused their votes, because their logs (node {}'s ending in {}) are more up \
                                  to date than node {c}'s ({theirs})",
                        node_list(voters.iter().copied()),
                        b.voter,
                        b.mine
                    ),
                },
            ),
        });
    }
    // A follower's log repaired.
    let noop = paxos.run.snap.chosen.iter().find(|(_, c)| c.value == Value::Noop).map(|(s, _)| *s);
    for t in &notes.truncated {
        let filled = noop.map_or(String::new(), |s| format!(" (here slot {s} was filled with a no-op)"));
        out.push(Difference {
            time: t.time,
            class: "diff-repair",
            text: format!(
                "Raft repairs node {}'s log: it deleted {} from slot {} on, which conflicted with its leader's, and \
                 takes the leader's instead. Multi-Paxos never deletes what an acceptor accepted: a new leader \
                 proposes again, slot by slot, the highest value its promises report, and fills a slot none \
                 reported with a no-op{filled}.",
                t.node,
                crate::components::draw::raft::entries(t.removed as usize),
                t.from,
            ),
        });
    }
    // An older term's entry on a majority that the leader does not count (the Raft paper's Figure 8), now.
    if let Some(d) = old_term(raft, now) {
        out.push(d);
    }
    out.sort_by_key(|d| d.time);
    out
}

/// The first slot a Raft leader holds on a majority but must not count as committed: its entry is of an older term.
fn old_term(raft: &AppState<Raft>, now: u64) -> Option<Difference> {
    let snap = &raft.run.snap;
    let n = snap.nodes.len();
    let leader = snap.nodes.iter().filter(|x| x.up && x.role == RaftRole::Leader).max_by_key(|x| x.term)?;
    let stored =
        |s: Slot| 1 + leader.matched.iter().enumerate().filter(|(i, m)| *i != leader.id.index() && m.0 > s.0).count();
    let (slot, (term, _)) = leader
        .log
        .iter()
        .enumerate()
        .skip(leader.commit.0 as usize)
        .map(|(i, e)| (Slot(i as u64), e))
        .find(|(s, (t, _))| *t < leader.term && stored(*s) > n / 2)?;
    Some(Difference {
        time: now,
        class: "diff-old-term",
        text: format!(
            "Raft's leader {} (term {}) does not count slot {slot} as committed, although {} of {n} nodes store it: \
             the entry is of term {}, and a leader counts replicas only of an entry of its own term (the Raft \
             paper's Figure 8). It is committed once an entry of term {} after it is. Multi-Paxos needs no such \
             rule: its leader proposes slot {slot} again in its own ballot, and what a majority accepts there is \
             chosen.",
            leader.id,
            leader.term.0,
            stored(slot),
            term.0,
            leader.term.0,
        ),
    })
}

/// The commands of a run that are not steps, each with the simulated time it was applied at: what Compare applies to
/// the other protocol's run at the same times.
pub fn timed_commands<P: crate::protocol::Look>(tape: &paxos_sim::Tape<P>) -> Vec<(u64, paxos_sim::Command)> {
    let Ok(mut sim) = paxos_sim::Simulator::new(tape.seed, tape.config.clone(), false) else { return Vec::new() };
    let mut out = Vec::new();
    for c in tape.commands() {
        if !matches!(c, paxos_sim::Command::Step { .. }) {
            out.push((sim.time(), c.clone()));
        }
        // Recorded by a run, so accepted again: the simulator is deterministic.
        let _ = sim.apply(c.clone());
    }
    out
}

/// Whether Compare applies a command to both runs: not a message's fault, which stays with its own run (the other
/// has other messages).
pub fn shared(c: &paxos_sim::Command) -> bool {
    use paxos_sim::Command::*;
    !matches!(c, Step { .. } | Drop { .. } | Duplicate { .. } | Delay { .. } | Deliver { .. })
}

/// How many shared commands (see [`shared`]) the run's first `at` moments apply.
pub fn commands_by<P: crate::protocol::Look>(tape: &paxos_sim::Tape<P>, at: u64) -> u64 {
    tape.between(0, at).iter().filter(|c| shared(c)).count() as u64
}

/// The moment just before the run's shared command number `k + 1` (from 1), or the tape's end: how far a run may go
/// with `k` shared commands applied.
pub fn before_command<P: crate::protocol::Look>(tape: &paxos_sim::Tape<P>, k: u64) -> u64 {
    let mut at = 0;
    let mut seen = 0;
    for c in tape.commands() {
        if shared(c) {
            if seen == k {
                return at;
            }
            seen += 1;
        }
        at += paxos_sim::tape::moments(c);
    }
    tape.len()
}

/// Multi-Paxos's run beside a Raft run: the same seed, cluster size and network, Raft's commands applied at the
/// times Raft's run applied them, and time run to where Raft's run ends. Shown at moment 0, as the Raft run of a
/// scenario is.
pub fn paxos_beside(raft: &crate::engine::Engine<Raft>) -> Result<crate::engine::Engine<Paxos>, String> {
    let settings = crate::input::Settings::<Raft>::from_config(raft.tape.seed, &raft.tape.config).to::<Paxos>();
    let settings = crate::input::Settings { mode: paxos_core::Mode::Multi, ..settings };
    let mut e = crate::engine::Engine::new(&settings).map_err(|e| e.to_string())?;
    for (t, c) in timed_commands(&raft.tape).into_iter().filter(|(_, c)| shared(c)) {
        e.advance(t as f64, u64::MAX, None);
        e.apply(c).map_err(|e| e.to_string())?;
    }
    let mut end =
        paxos_sim::Simulator::new(raft.tape.seed, raft.tape.config.clone(), false).map_err(|e| e.to_string())?;
    for c in raft.tape.commands() {
        let _ = end.apply(c.clone());
    }
    e.advance(end.time() as f64, u64::MAX, None);
    e.seek(0);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use paxos_sim::{Paxos, Raft};
    use yew::Reducible;

    use super::*;
    use crate::state::tests::LESSONS;
    use crate::state::{Action, Run};

    /// Raft's scenario `id` and Multi-Paxos beside it, both at the end.
    fn pair(id: &str) -> (Rc<AppState<Paxos>>, Rc<AppState<Raft>>, u64) {
        let index = paxos_sim::scenario::of::<Raft>().iter().position(|s| s.id == id).unwrap();
        let raft = Run::<Raft>::scenario(LESSONS, index, false, Default::default()).unwrap();
        let paxos = Run::with_engine(paxos_beside(&raft.engine()).unwrap());
        let end = raft.tour.as_ref().unwrap().end();
        let raft = Rc::new(AppState { view: Default::default(), run: raft }).reduce(Action::Seek(end));
        let t = raft.run.engine().sim().time();
        let k = commands_by(&raft.run.engine().tape, end);
        let paxos = Rc::new(AppState { view: Default::default(), run: paxos }).reduce(Action::Follow(t as f64, k));
        (paxos, raft, t)
    }

    #[test]
    fn both_runs_reach_the_same_time_with_the_same_commands() {
        let (paxos, raft, t) = pair("raft-up-to-date");
        let p = timed_commands(&paxos.run.engine().tape);
        let r = timed_commands(&raft.run.engine().tape);
        assert_eq!(p, r, "the same commands at the same times (this scenario faults no message)");
        assert!(paxos.run.engine().sim().time() <= t && paxos.run.clock as u64 == t);
        // At every moment of Raft's run, Multi-Paxos shows the same time with the same commands applied.
        let (mut paxos, mut raft) = (paxos, raft);
        for m in (0..=raft.run.tour.as_ref().unwrap().end()).rev() {
            raft = raft.reduce(Action::Seek(m));
            let k = commands_by(&raft.run.engine().tape, m);
            paxos = paxos.reduce(Action::Follow(raft.run.clock, k));
            assert_eq!(commands_by(&paxos.run.engine().tape, paxos.run.engine().at), k, "moment {m}");
            let up = |s: &[bool]| s.to_vec();
            let (pu, ru): (Vec<bool>, Vec<bool>) = (
                paxos.run.snap.nodes.iter().map(|n| n.up).collect(),
                raft.run.snap.nodes.iter().map(|n| n.up).collect(),
            );
            assert_eq!(up(&pu), up(&ru), "the same nodes up at moment {m}");
            assert_eq!(paxos.run.snap.cuts, raft.run.snap.cuts, "the same cuts at moment {m}");
        }
        assert!(paxos.run.snap.nodes.iter().all(|n| n.roles.proposer), "Multi-Paxos beside it");
    }

    #[test]
    fn a_candidate_refused_for_a_log_behind_is_named_with_what_multi_paxos_would_do() {
        let (paxos, raft, _) = pair("raft-up-to-date");
        let d = differences(&paxos, &raft);
        let elect = d.iter().find(|d| d.class == "diff-elect").expect("the refusal is named");
        assert!(
            elect.text.starts_with("Node 2 cannot become Raft's leader in term 4: nodes 0, 1 refused their votes"),
            "{}",
            elect.text
        );
        assert!(elect.text.contains("In Multi-Paxos"), "{}", elect.text);
    }

    #[test]
    fn a_repaired_log_is_named_against_multi_paxos_filling_gaps() {
        let (paxos, raft, _) = pair("raft-log-repair");
        let d = differences(&paxos, &raft);
        let repair = d.iter().find(|d| d.class == "diff-repair").expect("the repair is named");
        assert!(repair.text.starts_with("Raft repairs node "), "{}", repair.text);
        assert!(repair.text.contains("fills a slot none reported with a no-op"), "{}", repair.text);
    }

    #[test]
    fn an_old_terms_entry_on_a_majority_is_named_while_the_leader_does_not_count_it() {
        let (paxos, raft, end) = pair("raft-figure-8");
        let (mut paxos, mut raft) = (paxos, raft);
        let mut found = None;
        for m in 0..=end {
            raft = raft.reduce(Action::Seek(m));
            let k = commands_by(&raft.run.engine().tape, m);
            paxos = paxos.reduce(Action::Follow(raft.run.clock, k));
            if let Some(d) = differences(&paxos, &raft).into_iter().find(|d| d.class == "diff-old-term") {
                found = Some(d);
                break;
            }
        }
        let d = found.expect("Figure 8's old-term entry on a majority is named");
        assert!(
            d.text.starts_with("Raft's leader ") && d.text.contains(" as committed, although 3 of 5 nodes store it"),
            "{}",
            d.text
        );
        // And it is true of the run shown: the leader's commit index stops before that slot.
        let leader = raft.run.snap.nodes.iter().find(|n| n.up && n.role == RaftRole::Leader).unwrap();
        let slot: u64 = d.text.split("count slot ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(leader.commit.0 <= slot && leader.log[slot as usize].0 < leader.term, "{leader:?}");
    }
}
