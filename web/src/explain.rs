//! Every outcome explained where it happens, from this run's facts: which acceptors chose a value, in which ballot
//! and at which moment; why the winning value's proposer sent it; what became of a duel's losers; which learners
//! learned a value no quorum backs; and, after a violation, the outcome first ("Two values chosen: first, second").
//! The facts are the checker's (`Snapshot::chosen`) and the protocol's own events (the `Adopted` and `Abandoned` a
//! [`History`] keeps), worded by [`paxos_sim::describe`]: nothing here works out what the protocol decided. The status
//! chip (`components::banner`) and the drawing (`components::cluster`) show them. Plain Rust, tested natively.

use paxos_core::{Ballot, Mode, Msg, NodeEvent, NodeId, NodeSet, Slot, Value};
use paxos_sim::describe::{describe_node_event, why_proposed};
use paxos_sim::snapshot::NodeView;
use paxos_sim::{Chosen, Rule, Snapshot};

use crate::components::named;
use crate::components::outcome::chosen_in;
use crate::history::History;

/// The difference between learned and chosen, said where a learner holds a value that no quorum backs.
pub static LEARNED_VS_CHOSEN: &str = "A learner learns a value when it is told of it; a value is chosen only once a \
    quorum of acceptors accepted it in one ballot.";

/// The slot an explanation is about: slot 0 in single-decree Paxos, the newest chosen slot in Multi-Paxos.
pub fn slot_of(snap: &Snapshot, mode: Mode) -> Option<Slot> {
    match mode {
        Mode::Single => Some(Slot(0)),
        Mode::Multi => snap.chosen.iter().map(|(s, _)| *s).max(),
    }
}

/// What made each value of `slot` chosen: its ballot and the acceptors of its quorum.
pub fn quorums(snap: &Snapshot, slot: Option<Slot>) -> Vec<(Slot, Ballot, NodeSet)> {
    slot.map(|s| chosen_in(snap, s).iter().map(|c| (s, c.ballot, c.quorum)).collect()).unwrap_or_default()
}

/// Whether a message from `from` to `to` is one that made a value chosen (see [`quorums`]): an accept of its ballot
/// to an acceptor of its quorum, or that acceptor's accepted.
pub fn made_chosen(msg: &Msg, from: NodeId, to: NodeId, quorums: &[(Slot, Ballot, NodeSet)]) -> bool {
    let (ballot, slot, acceptor) = match msg {
        Msg::Accept { ballot, slot, .. } => (ballot, slot, to),
        Msg::Accepted { ballot, slot, .. } => (ballot, slot, from),
        _ => return false,
    };
    quorums.iter().any(|(s, b, q)| s == slot && b == ballot && q.contains(acceptor))
}

/// "blue was chosen at moment 31: acceptors 0, 1 accepted it in ballot 1.0."
pub fn chosen_sentence(h: &History, slot: Slot, c: &Chosen, mode: Mode) -> String {
    let at =
        h.chosen_at.iter().find(|&&(s, b, _)| (s, b) == (slot, c.ballot)).map(|(_, _, m)| format!(" at moment {m}"));
    let slot = if mode == Mode::Multi { format!("Slot {slot}: ") } else { String::new() };
    format!(
        "{slot}{} was chosen{}: {} accepted it in ballot {}.",
        c.value,
        at.unwrap_or_default(),
        named("acceptor", c.quorum.iter()),
        c.ballot
    )
}

/// Why the chosen value is the one its proposer sent, from its `Adopted` event: "Node 0 proposed it in ballot 2.0,
/// its own value, as no promise reported an accepted one." `duel`: other values were proposed, so it won.
pub fn winner_sentence(h: &History, slot: Slot, c: &Chosen, duel: bool) -> Option<String> {
    let e = h.ballots().get(&c.ballot)?.adopted.get(&slot)?;
    let lead = if duel { "Why it won: node" } else { "Node" };
    Some(format!("{lead} {} proposed it in ballot {}, {}.", c.ballot.node, c.ballot, why_proposed(e)))
}

/// Whether learners hold `v` in `slot` though the checker never saw it chosen there: no quorum of acceptors accepted
/// it in one ballot.
pub fn unbacked(snap: &Snapshot, slot: Slot, v: &Value) -> bool {
    !chosen_in(snap, slot).iter().any(|c| c.value == *v)
}

/// Whether node `n` learned, in single-decree Paxos, a value no quorum backs.
pub fn learned_unbacked(snap: &Snapshot, n: &NodeView, mode: Mode) -> bool {
    mode == Mode::Single && n.learned.iter().any(|(s, v)| *s == Slot(0) && unbacked(snap, *s, v))
}

/// A value proposed and not chosen (single-decree Paxos), with what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loser<'a> {
    /// The value.
    pub value: &'a Value,
    /// "blue: learned, not chosen", or "right: abandoned 1.1, pre-empted by 2.0 at node 0".
    pub fate: String,
    /// Whether learners hold it though no quorum accepted it.
    pub learned: bool,
}

/// In single-decree Paxos, each value proposed and not chosen, with what became of it: that learners hold it anyway
/// when they do; else, once a value is chosen, its proposer's latest abandon. A value with neither is left out.
pub fn losers<'a>(snap: &Snapshot, h: &'a History) -> Vec<Loser<'a>> {
    let chosen = chosen_in(snap, Slot(0));
    let mut out: Vec<Loser> = Vec::new();
    for (v, _, abandoned) in h.proposals() {
        if chosen.iter().any(|c| c.value == *v) || out.iter().any(|l| l.value == v) {
            continue;
        }
        // The drawing marks the learners that hold it.
        let learned = snap.nodes.iter().any(|n| n.learned.iter().any(|(s, l)| *s == Slot(0) && l == v));
        let fate = match abandoned {
            _ if learned => format!("{v}: learned, not chosen"),
            Some((ballot, reason)) if !chosen.is_empty() => {
                format!("{v}: {}", describe_node_event(&NodeEvent::Abandoned { ballot: *ballot, reason: *reason }))
            }
            _ => continue,
        };
        out.push(Loser { value: v, fate, learned });
    }
    out
}

/// The outcome of a broken run, first: "Two values chosen: first, second" (in a slot, for Multi-Paxos) when agreement
/// broke, else "blue learned, not chosen" while a learner holds a value no quorum backs.
pub fn outcome(snap: &Snapshot, mode: Mode) -> Option<String> {
    if let Some(slot) = snap.also_chosen.iter().map(|(s, _)| *s).min() {
        let values: Vec<String> = chosen_in(snap, slot).iter().map(|c| c.value.to_string()).collect();
        let count = match values.len() {
            2 => "Two".to_string(),
            3 => "Three".to_string(),
            k => k.to_string(),
        };
        let slot = if mode == Mode::Multi { format!(" in slot {slot}") } else { String::new() };
        return Some(format!("{count} values chosen{slot}: {}", values.join(", ")));
    }
    snap.violations.iter().filter(|v| v.rule == Rule::LearnedUnchosen).find_map(|v| {
        let (slot, value) = (v.slot?, v.values.last()?);
        unbacked(snap, slot, value).then(|| format!("{value} learned, not chosen"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, AppState};
    use std::rc::Rc;
    use yew::Reducible;

    /// A built-in scenario played to its end, with `bugs` on.
    fn scenario(id: &str, bugs: paxos_core::Bugs) -> Rc<AppState> {
        let index = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|sc| sc.id == id).unwrap();
        crate::state::tests::loaded(AppState::new(Default::default()))
            .reduce(Action::OpenScenario { index, what_if: bugs, guided: false })
            .reduce(Action::Seek(u64::MAX))
    }

    #[test]
    fn a_chosen_value_names_its_acceptors_ballot_and_moment_and_why_it_won() {
        let s = scenario("dueling", Default::default());
        let (e, snap) = (s.run.engine(), &s.run.snap);
        let h = e.history();
        let c = chosen_in(snap, Slot(0))[0];
        let said = chosen_sentence(h, Slot(0), c, Mode::Single);
        assert!(said.starts_with("left was chosen at moment "), "{said}");
        assert!(said.ends_with(": acceptors 0, 1 accepted it in ballot 2.0."), "{said}");
        assert_eq!(
            winner_sentence(h, Slot(0), c, true).unwrap(),
            "Why it won: node 0 proposed it in ballot 2.0, its own value, as no promise reported an accepted one."
        );
        // The loser keeps its fate, in the protocol's words: where it was pre-empted.
        let lost = losers(snap, h);
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].fate, "right: abandoned 1.1, pre-empted by 2.0 at node 0");
        assert!(!lost[0].learned);
        // The messages that made it chosen: node 0's accepts of 2.0 to acceptors 0 and 1, and their accepteds.
        let q = quorums(snap, Some(Slot(0)));
        let accept = Msg::Accept { ballot: c.ballot, slot: Slot(0), value: c.value.clone() };
        assert!(made_chosen(&accept, NodeId(0), NodeId(1), &q));
        assert!(!made_chosen(&accept, NodeId(0), NodeId(2), &q));
        let accepted = Msg::Accepted { ballot: c.ballot, slot: Slot(0), value: c.value.clone() };
        assert!(made_chosen(&accepted, NodeId(1), NodeId(2), &q));
        assert!(!made_chosen(&accepted, NodeId(2), NodeId(1), &q));
        assert_eq!(outcome(snap, Mode::Single), None);
    }

    #[test]
    fn a_broken_run_says_its_outcome_first() {
        let s = scenario("amnesia", Default::default());
        assert_eq!(outcome(&s.run.snap, Mode::Single).unwrap(), "Two values chosen: first, second");
        // Each with its acceptors, ballot and moment: the second's is the agreement violation's.
        let (e, snap) = (s.run.engine(), &s.run.snap);
        let said: Vec<String> =
            chosen_in(snap, Slot(0)).iter().map(|c| chosen_sentence(e.history(), Slot(0), c, Mode::Single)).collect();
        assert!(
            said[0].starts_with("first was chosen at moment ")
                && said[0].contains("acceptors 0, 1 accepted it in ballot 1.0"),
            "{said:?}"
        );
        assert!(
            said[1].starts_with("second was chosen at moment ")
                && said[1].contains("acceptors 1, 2 accepted it in ballot 1.2"),
            "{said:?}"
        );
    }

    #[test]
    fn a_value_learned_that_no_quorum_backs_is_told_from_chosen() {
        // Minority quorums: node 0's blue reaches a learner through one acceptor, so learners disagree.
        let bugs = paxos_core::Bugs { minority_quorum: true, ..Default::default() };
        let mut s = Rc::new(AppState::new(crate::input::PaxosSettings { bugs, ..Default::default() }))
            .reduce(Action::Propose { node: NodeId(0), value: Value::text("blue") })
            .reduce(Action::Propose { node: NodeId(2), value: Value::text("green") });
        for _ in 0..400 {
            s = s.reduce(Action::Step);
        }
        let snap = &s.run.snap;
        let held: Vec<&Value> = snap.nodes.iter().flat_map(|n| n.learned.iter().map(|(_, v)| v)).collect();
        let stray: Vec<&&Value> = held.iter().filter(|v| unbacked(snap, Slot(0), v)).collect();
        assert!(!stray.is_empty(), "a learner holds a value no quorum accepted: {held:?}");
        assert!(snap.nodes.iter().any(|n| learned_unbacked(snap, n, Mode::Single)));
        let e = s.run.engine();
        let lost = losers(snap, e.history());
        assert!(lost.iter().any(|l| l.learned && l.fate == format!("{}: learned, not chosen", stray[0])), "{lost:?}");
        // The chip leads with it when nothing broke agreement, and explains learned against chosen.
        let (key, more) = crate::components::banner::lines(&s, false);
        let said = |lines: &[(&str, String)], text: &str| lines.iter().any(|(_, l)| l.contains(text));
        assert!(said(&key, "learned, not chosen") || said(&key, "Two values chosen"), "{key:?}");
        assert!(said(&more, LEARNED_VS_CHOSEN), "{more:?}");
    }
}
