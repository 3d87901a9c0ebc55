//! Goals: what an exercise asks a person to make happen, as a predicate over a run.
//!
//! A goal is a conjunction of terms written in one line, the same in an exercise file, a page's address
//! (`?goal=chosen,down>=1`), `mount()` options, a ```` ```paxos ```` block and `paxos exercise --goal`:
//!
//! | term | holds when (Paxos) | in Raft |
//! |---|---|---|
//! | `chosen`, `chosen=V` | a value (value `V`) is chosen: a phase-2 quorum of acceptors accepted it in one ballot | a value is committed |
//! | `learned=N`, `learned=N:V` | node `N`'s learner learned a value (`V`) | node `N` committed it |
//! | `two-chosen` | at least two different values are chosen in one slot (agreement broke) | the same (State Machine Safety broke) |
//! | `broken=R` | the checker reported rule `R` (`agreement`, `promise_decreased`, … as `paxos bugs` names them) | a Raft rule (`vote_once`, …) |
//! | `round>=N` | some proposer started a ballot of round `N` or more | some node campaigned in term `N` or later |
//! | `no-quorum` | no live proposer reaches a quorum of live acceptors both ways (crashes and cut links count) | no live node reaches a majority |
//! | `no-op` | a slot was chosen a no-op (a Multi-Paxos leader filled a gap) | refused: every leader commits one |
//! | `down>=N` | at least `N` nodes are down | the same |
//! | `adopted-other` | a proposer sent to phase 2 a value it adopted from an earlier ballot, not one it was asked for | refused |
//! | `learners-disagree` | two learners learned different values in one slot | two nodes committed different values |
//! | `actions<=K` | at most `K` actions so far (every command a person gives counts, but running time does not) | the same |
//!
//! The words are one language: a goal is read without knowing its run's protocol (`broken=R` takes any protocol's
//! rule), and [`Goal::fits_for`] refuses, by name, a term or rule the run's protocol has no use for. The [`Watch`]
//! reads the protocol's facts through [`Protocol`]'s goal hooks (`started_round`, `learned`, `adopted`, `no_quorum`)
//! and its rules' `AGREEMENT`.
//!
//! A [`Watch`] follows a run event by event and checks the goal after each moment, natively (`paxos exercise`) and
//! in the page alike: the goal is met at the first moment at which every term holds together, and stays met. Terms
//! about what happened (`learned`, `round`, `adopted-other`, `learners-disagree`) hold from the event that made them
//! true; the others read the run at that moment. A watch can also allow only some commands (an exercise's `only`):
//! a run that gives another one cannot meet the goal.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use litemap::LiteMap;
use paxos_core::{NodeId, Slot, Value};
use thiserror::Error;

use crate::command::Command;
use crate::event::{Event, EventKind};
use crate::limits::quote;
use crate::protocol::{self, Paxos, Protocol, RuleOf, RuleSet};
use crate::sim::Simulator;

/// The longest goal text, in bytes.
pub const MAX_GOAL_LEN: usize = 256;
/// The most terms in one goal.
pub const MAX_TERMS: usize = 8;
/// The largest number a term takes (a round, a count of nodes or actions).
pub const MAX_TERM_NUMBER: u64 = 1_000_000;

/// One condition of a goal. See the module documentation for the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A value is chosen (this one, if given).
    Chosen(Option<Value>),
    /// A node learned a value (this one, if given).
    Learned(NodeId, Option<Value>),
    /// Two different values chosen in one slot.
    TwoChosen,
    /// A rule reported broken, by its name (any protocol's: the run's protocol is checked by [`Goal::fits_for`]).
    Broken(&'static str),
    /// A ballot of at least this round started.
    Round(u32),
    /// No quorum reachable.
    NoQuorum,
    /// A no-op chosen in some slot.
    NoOp,
    /// At least this many nodes down.
    Down(usize),
    /// A value adopted from an earlier ballot sent to phase 2 by a proposer that was not asked for it.
    AdoptedOther,
    /// Two learners learned different values in one slot.
    LearnersDisagree,
    /// At most this many actions.
    Actions(u64),
}

/// A goal: every term must hold at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// The terms, in the order written.
    pub terms: Vec<Term>,
}

/// Why a goal could not be read, naming the term.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum GoalError {
    /// No terms.
    #[error("the goal is empty: give terms like `chosen` or `two-chosen`, separated by commas")]
    Empty,
    /// Longer than [`MAX_GOAL_LEN`].
    #[error("the goal is {0} bytes long; at most {MAX_GOAL_LEN}")]
    TooLong(usize),
    /// More than [`MAX_TERMS`] terms.
    #[error("the goal has {0} terms; at most {MAX_TERMS}")]
    TooManyTerms(usize),
    /// A word that is no term.
    #[error("`{0}` is not a goal term (chosen, learned=N, two-chosen, broken=RULE, round>=N, no-quorum, no-op, down>=N, adopted-other, learners-disagree, actions<=K)")]
    Unknown(String),
    /// A term the run's protocol has no use for, or a rule it does not have.
    #[error("`{term}` is a {of} term; this run is {protocol}: {why}")]
    NotFor {
        /// The term, quoted.
        term: String,
        /// The protocols it belongs to.
        of: String,
        /// The run's protocol.
        protocol: &'static str,
        /// Why it does not apply.
        why: String,
    },
    /// A term whose argument is wrong.
    #[error("goal term `{term}`: {message}")]
    Argument {
        /// The term, quoted.
        term: String,
        /// What is wrong.
        message: String,
    },
}

fn number(term: &str, text: &str) -> Result<u64, GoalError> {
    match text.parse::<u64>() {
        Ok(n) if n <= MAX_TERM_NUMBER => Ok(n),
        Ok(_) => Err(argument(term, format!("at most {MAX_TERM_NUMBER}"))),
        Err(_) => Err(argument(term, format!("`{}` is not a whole number", quote(text)))),
    }
}

fn argument(term: &str, message: impl Into<String>) -> GoalError {
    GoalError::Argument { term: quote(term), message: message.into() }
}

fn value(term: &str, text: &str) -> Result<Value, GoalError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(argument(term, "the value is empty"));
    }
    Ok(if text == "noop" || text == "no-op" { Value::Noop } else { Value::text(text) })
}

/// A value as a goal writes it (a no-op as `noop`), so a goal's text reads back as the same goal.
struct Written<'a>(&'a Value);

impl fmt::Display for Written<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Noop => f.write_str("noop"),
            v => write!(f, "{v}"),
        }
    }
}

/// A rule's name and title by its name, and every rule's name: the rules a goal's `broken=` may name.
type Rules<'a> = (&'a dyn Fn(&str) -> Option<(&'static str, &'static str)>, &'a dyn Fn() -> Vec<&'static str>);

/// Protocol `P`'s rule named `name`: its name and title.
fn rule_of<P: Protocol>(name: &str) -> Option<(&'static str, &'static str)> {
    RuleOf::<P>::ALL.iter().find(|r| r.name() == name).map(|r| (r.name(), r.title()))
}

/// Every rule of any protocol (a goal read before its run's protocol is known: `Goal::fits_for` checks it later).
const ANY_RULE: Rules<'static> = (&protocol::any_rule, &protocol::every_rule_name);

impl Term {
    fn parse(text: &str, rules: Rules<'_>) -> Result<Term, GoalError> {
        let (name, arg) = match text.find(['=', '<', '>']) {
            Some(i) => (&text[..i], Some(&text[i..])),
            None => (text, None),
        };
        let name = name.trim();
        let take = |prefix: &str| arg.and_then(|a| a.strip_prefix(prefix)).map(str::trim);
        let need = |prefix: &str| take(prefix).ok_or_else(|| argument(text, format!("write it `{name}{prefix}…`")));
        Ok(match name {
            "chosen" => Term::Chosen(arg.map(|_| need("=").and_then(|v| value(text, v))).transpose()?),
            "learned" => {
                let a = need("=")?;
                let (n, v) = match a.split_once(':') {
                    Some((n, v)) => (n, Some(value(text, v)?)),
                    None => (a, None),
                };
                let n = number(text, n.trim())?;
                Term::Learned(NodeId(u8::try_from(n).map_err(|_| argument(text, "no such node"))?), v)
            }
            "broken" => {
                let r = need("=")?.replace('-', "_");
                Term::Broken((rules.0)(&r).map(|(name, _)| name).ok_or_else(|| {
                    let names = (rules.1)();
                    argument(text, format!("no rule `{}`; the rules are {}", quote(&r), names.join(", ")))
                })?)
            }
            "round" => Term::Round(number(text, need(">=")?)? as u32),
            "down" => Term::Down(number(text, need(">=")?)? as usize),
            "actions" => Term::Actions(number(text, need("<=")?)?),
            "two-chosen" | "no-quorum" | "no-op" | "adopted-other" | "learners-disagree" if arg.is_some() => {
                return Err(argument(text, "takes no argument"))
            }
            "two-chosen" => Term::TwoChosen,
            "no-quorum" => Term::NoQuorum,
            "no-op" => Term::NoOp,
            "adopted-other" => Term::AdoptedOther,
            "learners-disagree" => Term::LearnersDisagree,
            _ => return Err(GoalError::Unknown(quote(text))),
        })
    }

    /// The term's word, without its argument (`learned`, `adopted-other`).
    pub fn word(&self) -> &'static str {
        match self {
            Term::Chosen(_) => "chosen",
            Term::Learned(..) => "learned",
            Term::TwoChosen => "two-chosen",
            Term::Broken(_) => "broken",
            Term::Round(_) => "round",
            Term::NoQuorum => "no-quorum",
            Term::NoOp => "no-op",
            Term::Down(_) => "down",
            Term::AdoptedOther => "adopted-other",
            Term::LearnersDisagree => "learners-disagree",
            Term::Actions(_) => "actions",
        }
    }

    /// The term in people's words for a run of protocol `P` (`paxos exercise --check`): its own words where they
    /// differ (Raft commits), its own rule's title.
    pub fn describe_for<P: Protocol>(&self) -> String {
        P::goal_words(self).unwrap_or_else(|| self.words(&rule_of::<P>))
    }

    /// The term in people's words, for the page's checklist and `paxos exercise`.
    pub fn describe(&self) -> String {
        self.words(&protocol::any_rule)
    }

    /// The term in words, a rule named by its title as `rule` finds it.
    fn words(&self, rule: &dyn Fn(&str) -> Option<(&'static str, &'static str)>) -> String {
        match self {
            Term::Chosen(None) => "a value is chosen".into(),
            Term::Chosen(Some(v)) => format!("{v} is chosen"),
            Term::Learned(n, None) => format!("node {n} learns a value"),
            Term::Learned(n, Some(v)) => format!("node {n} learns {v}"),
            Term::TwoChosen => "two values are chosen".into(),
            Term::Broken(r) => format!("the rule “{}” breaks", rule(r).map_or(*r, |(_, title)| title)),
            Term::Round(r) => format!("a ballot of round {r} starts"),
            Term::NoQuorum => "no quorum is reachable".into(),
            Term::NoOp => "a no-op is chosen".into(),
            Term::Down(1) => "a node is down".into(),
            Term::Down(n) => format!("{n} nodes are down"),
            Term::AdoptedOther => "a proposer proposes a value it was not asked for".into(),
            Term::LearnersDisagree => "two learners learn different values".into(),
            Term::Actions(1) => "in 1 action".into(),
            Term::Actions(k) => format!("in {k} actions or fewer"),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Chosen(None) => f.write_str("chosen"),
            Term::Chosen(Some(v)) => write!(f, "chosen={}", Written(v)),
            Term::Learned(n, None) => write!(f, "learned={n}"),
            Term::Learned(n, Some(v)) => write!(f, "learned={n}:{}", Written(v)),
            Term::TwoChosen => f.write_str("two-chosen"),
            Term::Broken(r) => write!(f, "broken={r}"),
            Term::Round(r) => write!(f, "round>={r}"),
            Term::NoQuorum => f.write_str("no-quorum"),
            Term::NoOp => f.write_str("no-op"),
            Term::Down(n) => write!(f, "down>={n}"),
            Term::AdoptedOther => f.write_str("adopted-other"),
            Term::LearnersDisagree => f.write_str("learners-disagree"),
            Term::Actions(k) => write!(f, "actions<={k}"),
        }
    }
}

impl FromStr for Goal {
    type Err = GoalError;

    fn from_str(text: &str) -> Result<Goal, GoalError> {
        Goal::read_with(text, ANY_RULE)
    }
}

impl Goal {
    /// Reads a goal whose run is of protocol `P`: `broken=` names one of `P`'s rules (the page reads its goals so,
    /// and so links only its own protocol's rules).
    pub fn read<P: Protocol>(text: &str) -> Result<Goal, GoalError> {
        Goal::read_with(text, (&rule_of::<P>, &|| RuleOf::<P>::ALL.iter().map(|r| r.name()).collect()))
    }

    fn read_with(text: &str, rules: Rules<'_>) -> Result<Goal, GoalError> {
        if text.len() > MAX_GOAL_LEN {
            return Err(GoalError::TooLong(text.len()));
        }
        let parts: Vec<&str> = text.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
        if parts.is_empty() {
            return Err(GoalError::Empty);
        }
        if parts.len() > MAX_TERMS {
            return Err(GoalError::TooManyTerms(parts.len()));
        }
        let terms = parts.into_iter().map(|t| Term::parse(t, rules)).collect::<Result<Vec<_>, _>>()?;
        Ok(Goal { terms })
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

impl Goal {
    /// Checks the goal against a Paxos cluster of `nodes` nodes (the page's and the built-in exercises' protocol): see
    /// [`Goal::fits_for`].
    pub fn fits(&self, nodes: usize) -> Result<(), GoalError> {
        self.fits_for::<Paxos>(nodes)
    }

    /// Checks the goal against a cluster of protocol `P` with `nodes` nodes: every term must mean something in `P`
    /// (Raft has no `adopted-other`), a rule must be one of `P`'s, a term naming a node must name one of them, and a
    /// count of nodes must be possible.
    pub fn fits_for<P: Protocol>(&self, nodes: usize) -> Result<(), GoalError> {
        for t in &self.terms {
            if let Some((_, why)) = P::NOT_GOALS.iter().find(|(w, _)| *w == t.word()) {
                let of = protocol::protocols_with_goal(t.word()).join(" and ");
                return Err(GoalError::NotFor { term: t.to_string(), of, protocol: P::NAME, why: (*why).into() });
            }
            if let Term::Broken(r) = t {
                if !RuleOf::<P>::ALL.iter().any(|x| x.name() == *r) {
                    let names: Vec<&str> = RuleOf::<P>::ALL.iter().map(|x| x.name()).collect();
                    let why = format!("{}'s rules are {}", P::NAME, names.join(", "));
                    let of = protocol::protocols_with_rule(r).join(" and ");
                    return Err(GoalError::NotFor { term: t.to_string(), of, protocol: P::NAME, why });
                }
            }
        }
        for t in &self.terms {
            match t {
                Term::Learned(n, _) if n.index() >= nodes => {
                    return Err(argument(&t.to_string(), format!("there is no node {n}: the cluster has {nodes}")))
                }
                Term::Down(k) if *k > nodes => {
                    return Err(argument(&t.to_string(), format!("the cluster has only {nodes} nodes")))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The action limit, if the goal has one (the smallest, if several).
    pub fn action_limit(&self) -> Option<u64> {
        self.terms.iter().filter_map(|t| if let Term::Actions(k) = t { Some(*k) } else { None }).min()
    }
}

/// The verbs an exercise may offer (`only`): the simulator's command verbs but `step`, which is always allowed
/// (running time is never an action).
pub const VERBS: [&str; 13] = [
    "propose",
    "crash",
    "restart",
    "tick",
    "partition",
    "heal",
    "cut",
    "drop",
    "duplicate",
    "delay",
    "deliver",
    "network",
    "link",
];

/// How far a run is from its goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Not met yet; each term with whether it holds now.
    Open(Vec<(Term, bool)>),
    /// Met at simulator step `step`, after `actions` actions.
    Met {
        /// The step.
        step: u64,
        /// The actions it took.
        actions: u64,
    },
    /// Can no longer be met: the run used more actions than the goal allows, or a command the exercise does not
    /// offer. The sentence says which.
    Lost(String),
}

/// Follows a run and checks its goal after every event. It is `Clone`, so the page keeps it in each checkpoint.
///
/// What happened (a value chosen, a rule broken, a ballot started, a value learned) it reads from the events, each
/// at its own step; what the cluster is now (nodes down, quorums out of reach, actions taken) from the simulator,
/// which only a command changes. So a batch of steps read at once (the page reads a frame's events together) meets
/// the goal at the same step as reading them one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watch<P: Protocol = Paxos> {
    goal: Goal,
    /// The verbs allowed, when the exercise offers only some.
    only: Option<Vec<&'static str>>,
    /// Actions seen, the start's included.
    seen: u64,
    /// The run's first actions that are its start's, not the person's (an exercise's start commands).
    start: u64,
    /// Per term: whether what it asks for has happened (for the terms about what happened).
    happened: Vec<bool>,
    /// The first value learned per slot, to tell when learners disagree.
    first_learned: LiteMap<Slot, Value>,
    /// Values each node was asked to propose.
    asked: Vec<(NodeId, Value)>,
    met: Option<(u64, u64)>,
    lost: Option<String>,
    protocol: PhantomData<P>,
}

impl<P: Protocol> Watch<P> {
    /// A watch for `goal`, allowing only the verbs in `only` (all when `None`), over a run whose first `start`
    /// actions are its start (an exercise's start commands), not the person's.
    pub fn new(goal: Goal, only: Option<Vec<&'static str>>, start: u64) -> Watch<P> {
        Watch {
            happened: vec![false; goal.terms.len()],
            goal,
            only,
            seen: 0,
            start,
            first_learned: LiteMap::new(),
            asked: Vec::new(),
            met: None,
            lost: None,
            protocol: PhantomData,
        }
    }

    /// The goal watched.
    pub fn goal(&self) -> &Goal {
        &self.goal
    }

    /// The verbs allowed, when only some are.
    pub fn only(&self) -> Option<&[&'static str]> {
        self.only.as_deref()
    }

    /// The person's actions so far.
    pub fn actions(&self) -> u64 {
        self.seen.saturating_sub(self.start)
    }

    /// Reads new events (one command's, or some steps') of `sim`, which has run them, and checks the goal after
    /// each step; true once met.
    pub fn observe(&mut self, events: &[Event<P>], sim: &Simulator<P>) -> bool {
        let mut changed = false;
        let mut step = None;
        for e in events {
            if step.is_some_and(|s| s != e.step) && changed && self.try_meet(step.unwrap_or(0), sim) {
                return true;
            }
            step = Some(e.step);
            changed |= self.event(&e.kind);
        }
        if changed || events.is_empty() {
            self.try_meet(step.unwrap_or(sim.steps()), sim);
        }
        self.met.is_some()
    }

    /// Whether the event changed what the goal reads.
    fn event(&mut self, kind: &EventKind<P>) -> bool {
        match kind {
            EventKind::Command { command } => self.action(command),
            EventKind::Crash { node } => self.action(&Command::Crash { node: *node }),
            EventKind::Restart { node, .. } => self.action(&Command::Restart { node: *node }),
            EventKind::Node { node, event } => self.node_event(*node, event),
            EventKind::Chosen { chosen, .. } => {
                let v = &chosen.value;
                self.happen(|t| match t {
                    Term::Chosen(want) => want.as_ref().is_none_or(|w| w == v),
                    Term::NoOp => *v == Value::Noop,
                    _ => false,
                })
            }
            // A second value chosen in a slot is always reported as the agreement rule broken (Paxos never reports it
            // as `Chosen`).
            EventKind::Violation { violation } => self.happen(|t| {
                *t == Term::Broken(violation.rule.name())
                    || (*t == Term::TwoChosen && violation.rule == RuleOf::<P>::AGREEMENT)
            }),
            _ => false,
        }
    }

    /// Marks the terms `f` picks as happened.
    fn happen(&mut self, f: impl Fn(&Term) -> bool) -> bool {
        let mut changed = false;
        for (i, t) in self.goal.terms.iter().enumerate() {
            if !self.happened[i] && f(t) {
                self.happened[i] = true;
                changed = true;
            }
        }
        changed
    }

    /// A person's command, as its event reports it (`step` logs none: running time is never an action).
    fn action(&mut self, c: &Command) -> bool {
        if let Command::Propose { node, value } = c {
            self.asked.push((*node, value.clone()));
        }
        self.seen += 1;
        if self.seen <= self.start {
            return true;
        }
        let actions = self.actions();
        if self.met.is_none() && self.lost.is_none() {
            if let Some(only) = self.only.as_ref().filter(|o| !o.contains(&c.verb())) {
                let list = only.join(", ");
                self.lost = Some(format!("`{}` is not one of this exercise's actions ({list})", c.verb()));
            } else if let Some(k) = self.goal.action_limit().filter(|&k| actions > k) {
                self.lost = Some(format!("{actions} actions, more than the {k} allowed"));
            }
        }
        true
    }

    fn node_event(&mut self, node: NodeId, event: &P::Event) -> bool {
        let mut changed = false;
        if let Some(round) = P::started_round(event) {
            changed |= self.happen(|t| matches!(t, Term::Round(r) if round >= u64::from(*r)));
        }
        if P::adopted(event).is_some_and(|v| !self.asked.iter().any(|(n, a)| *n == node && a == v)) {
            changed |= self.happen(|t| *t == Term::AdoptedOther);
        }
        if let Some((slot, value)) = P::learned(event) {
            // Only when asked: in a long Multi-Paxos run this would hold every slot, in every checkpoint.
            let differ = match self.first_learned.get(&slot) {
                _ if !self.goal.terms.contains(&Term::LearnersDisagree) => false,
                Some(first) => first != value,
                None => {
                    self.first_learned.insert(slot, value.clone());
                    false
                }
            };
            changed |= self.happen(|t| match t {
                Term::Learned(n, want) => *n == node && want.as_ref().is_none_or(|w| w == value),
                Term::LearnersDisagree => differ,
                _ => false,
            });
        }
        changed
    }

    /// Whether term `i` holds: what happened, or the cluster as it is now.
    fn holds(&self, i: usize, sim: &Simulator<P>) -> bool {
        match &self.goal.terms[i] {
            Term::NoQuorum => sim.no_quorum(),
            Term::Down(k) => sim.nodes().iter().filter(|n| !sim.is_up(P::id(n))).count() >= *k,
            Term::Actions(k) => self.actions() <= *k,
            _ => self.happened[i],
        }
    }

    fn try_meet(&mut self, step: u64, sim: &Simulator<P>) -> bool {
        if self.met.is_none() && self.lost.is_none() && (0..self.goal.terms.len()).all(|i| self.holds(i, sim)) {
            self.met = Some((step, self.actions()));
        }
        self.met.is_some()
    }

    /// Whether the goal was met.
    pub fn met(&self) -> bool {
        self.met.is_some()
    }

    /// Where the run stands.
    pub fn progress(&self, sim: &Simulator<P>) -> Progress {
        if let Some((step, actions)) = self.met {
            return Progress::Met { step, actions };
        }
        if let Some(why) = &self.lost {
            return Progress::Lost(why.clone());
        }
        Progress::Open((0..self.goal.terms.len()).map(|i| (self.goal.terms[i].clone(), self.holds(i, sim))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::Rule;
    use crate::protocol::Raft;
    use crate::SimConfig;
    use paxos_core::Mode;
    use raft_core::Bug::ForgetVote;

    fn goal(s: &str) -> Goal {
        s.parse().unwrap()
    }

    #[test]
    fn every_term_reads_and_writes_back() {
        let text = "chosen,chosen=blue,learned=2,learned=1:red,two-chosen,broken=agreement,round>=3,no-quorum,";
        let g = goal(text);
        assert_eq!(g.to_string(), text.trim_end_matches(','));
        let g = goal(" no-op , down>=2, adopted-other,learners-disagree , actions<=4");
        assert_eq!(g.to_string(), "no-op,down>=2,adopted-other,learners-disagree,actions<=4");
        assert_eq!(goal("broken=promise-decreased").terms, vec![Term::Broken(Rule::PromiseDecreased.name())]);
        assert_eq!(g.action_limit(), Some(4));
    }

    #[test]
    fn a_bad_goal_names_what_is_wrong() {
        let err = |s: &str| s.parse::<Goal>().unwrap_err().to_string();
        assert!(err("").contains("empty"));
        assert!(err("chosen,bogus").contains("`bogus` is not a goal term"));
        assert!(err("round>=x").contains("`x` is not a whole number"));
        assert!(err("round=3").contains("write it `round>=…`"));
        assert!(err("broken=nope").contains("no rule `nope`"));
        assert!(err("two-chosen=1").contains("takes no argument"));
        assert!(err("down>=99999999").contains("at most"));
        assert!(err(&"chosen,".repeat(9)).contains("9 terms"));
        assert!(err(&"x".repeat(300)).contains("300 bytes"));
        assert!(err("learned=300").contains("no such node"));
        assert!(goal("learned=5").fits(3).unwrap_err().to_string().contains("no node 5"));
        assert!(goal("down>=4").fits(3).is_err());
        assert!(goal("learned=2,down>=3").fits(3).is_ok());
    }

    fn run(goal_text: &str, commands: &[Command]) -> (Simulator, Watch) {
        let mut sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), true).unwrap();
        let mut w = Watch::new(goal(goal_text), None, 0);
        for c in commands {
            sim.apply(c.clone()).unwrap();
            let events: Vec<Event> = sim.drain_events().collect();
            w.observe(&events, &sim);
        }
        (sim, w)
    }

    fn propose(n: u8, v: &str) -> Command {
        Command::Propose { node: NodeId(n), value: Value::text(v) }
    }

    #[test]
    fn a_goal_is_met_at_the_first_moment_all_its_terms_hold_and_stays_met() {
        let crash2 = Command::Crash { node: NodeId(2) };
        let (sim, w) = run("chosen,down>=1", &[crash2.clone(), propose(0, "blue"), Command::Step { count: 40 }]);
        assert!(w.met(), "{:?}", w.progress(&sim));
        let (_, w) = run("chosen,down>=1", &[propose(0, "blue"), Command::Step { count: 40 }]);
        assert!(!w.met(), "no node was down");
        let (sim, w) = run("chosen=red", &[propose(0, "blue"), Command::Step { count: 40 }]);
        assert!(
            matches!(w.progress(&sim), Progress::Open(t) if t == vec![(Term::Chosen(Some(Value::text("red"))), false)])
        );
        let (_, w) = run("learned=1:blue", &[propose(0, "blue"), Command::Step { count: 40 }]);
        assert!(w.met());
    }

    #[test]
    fn too_many_actions_or_a_verb_not_offered_loses_the_goal() {
        let c = |n| Command::Crash { node: NodeId(n) };
        let (sim, w) = run("no-quorum,actions<=2", &[c(1), c(2)]);
        assert!(w.met(), "{:?}", w.progress(&sim));
        let (sim, w) = run("no-quorum,actions<=1", &[c(1), c(2)]);
        assert_eq!(w.progress(&sim), Progress::Lost("2 actions, more than the 1 allowed".into()));
        let mut w = Watch::new(goal("no-quorum"), Some(vec!["crash"]), 0);
        let sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), false).unwrap();
        let heal = Event { step: 0, time: 0, kind: EventKind::Command { command: Command::Heal } };
        w.observe(&[heal], &sim);
        assert!(matches!(w.progress(&sim), Progress::Lost(s) if s.contains("`heal`")));
        let mut w = Watch::new(goal("no-quorum,actions<=1"), None, 1);
        let crash = |n| Event { step: 0, time: 0, kind: EventKind::Crash { node: NodeId(n) } };
        w.observe(&[crash(1)], &sim);
        w.observe(&[crash(2)], &sim);
        assert_eq!(w.actions(), 1, "the start's commands are not the person's");
    }

    /// A Raft run of `commands` from the election scenario's start (3 nodes, seed 1, latency 10), watched for `goal`.
    fn raft(goal_text: &str, commands: &[Command]) -> (Simulator<Raft>, Watch<Raft>) {
        let mut config = SimConfig::raft(3);
        config.latency = (10, 10);
        let mut sim = Simulator::new(1, config, true).unwrap();
        let g = goal(goal_text);
        g.fits_for::<Raft>(3).unwrap();
        let mut w = Watch::new(g, None, 0);
        for c in commands {
            sim.apply(c.clone()).unwrap();
            let events: Vec<Event<Raft>> = sim.drain_events().collect();
            w.observe(&events, &sim);
        }
        (sim, w)
    }

    #[test]
    fn a_raft_watch_reads_the_shared_terms_in_raft_s_facts() {
        let step = |count| Command::Step { count };
        let crash = |n| Command::Crash { node: NodeId(n) };
        // Node 0 campaigns in term 1, leads it and commits its no-op, which node 1 commits from the next heartbeat.
        let term1 = [step(9), step(4), step(6), step(30)];
        let (sim, w) = raft("chosen,learned=1,round>=1", &term1);
        assert!(w.met(), "{:?}", w.progress(&sim));
        let (sim, w) = raft("chosen=noop,round>=2", &term1);
        let open = vec![(Term::Chosen(Some(Value::Noop)), true), (Term::Round(2), false)];
        assert_eq!(w.progress(&sim), Progress::Open(open), "no second term yet");
        // The leader crashes: another node campaigns in term 2. One node down leaves a majority; two do not.
        let after = [&term1[..], &[crash(0), step(30)]].concat();
        let (sim, w) = raft("round>=2,no-quorum", &after);
        assert_eq!(w.progress(&sim), Progress::Open(vec![(Term::Round(2), true), (Term::NoQuorum, false)]));
        let (sim, w) = raft("round>=2,no-quorum,down>=2", &[&after[..], &[crash(1)]].concat());
        assert!(w.met(), "{:?}", w.progress(&sim));
    }

    #[test]
    fn a_raft_watch_sees_the_rule_a_bug_breaks() {
        // The fuzzer's first schedule of 3 nodes with forget-vote to break a rule (632 before membership changes
        // joined the mix, now 159): a node that restarted, forgetting its vote, votes a second time in one term.
        let opts = crate::fuzz::FuzzOptions { steps: 1000, ..Default::default() };
        let seed = 159;
        let (config, commands) = crate::fuzz::raft_schedule(seed, &opts, Some(ForgetVote));
        let mut sim = Simulator::new(seed, config, true).unwrap();
        let mut w: Watch<Raft> = Watch::new(goal("broken=vote_once"), None, 0);
        let mut other: Watch<Raft> = Watch::new(goal("broken=up_to_date_vote"), None, 0);
        for c in commands {
            if sim.stopped() {
                break;
            }
            let _ = sim.apply(c);
            let events: Vec<Event<Raft>> = sim.drain_events().collect();
            w.observe(&events, &sim);
            other.observe(&events, &sim);
        }
        let broke = sim.violations().first().expect("forget-vote breaks a rule in schedule 159");
        assert_eq!(broke.rule.name(), "vote_once");
        assert!(matches!(w.progress(&sim), Progress::Met { step, .. } if step == broke.step), "{:?}", w.progress(&sim));
        assert!(!other.met());
    }

    #[test]
    fn a_term_or_rule_the_run_s_protocol_has_no_use_for_is_refused_by_name() {
        let err = |s: &str| goal(s).fits_for::<Raft>(3).unwrap_err().to_string();
        assert_eq!(
            err("chosen,adopted-other"),
            "`adopted-other` is a paxos term; this run is raft: a Raft leader never adopts a value from an earlier \
             term as its own; it sends its log"
        );
        assert!(err("no-op").starts_with("`no-op` is a paxos term; this run is raft: "));
        assert!(err("broken=agreement")
            .starts_with("`broken=agreement` is a paxos term; this run is raft: raft's rules are vote_once, "));
        assert!(err("learned=3").contains("no node 3"));
        let e = goal("broken=vote-once").fits(3).unwrap_err().to_string();
        assert!(e.starts_with("`broken=vote_once` is a raft term; this run is paxos: paxos's rules are "), "{e}");
        for shared in ["broken=validity", "two-chosen,learners-disagree,round>=2,no-quorum,down>=1,actions<=3"] {
            assert!(goal(shared).fits(3).is_ok() && goal(shared).fits_for::<Raft>(3).is_ok(), "{shared}");
        }
    }
}
