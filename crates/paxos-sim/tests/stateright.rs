//! # Cross-checking the core with stateright
//!
//! Our own explorer ([`paxos_sim::explore`]) and our own safety checker ([`paxos_sim::Checker`]) were written
//! together with the core, so a misunderstanding shared by all three would go unnoticed. This file runs the very
//! same [`Node`] under an independent model checker, [stateright](https://docs.rs/stateright/0.31), and asks it
//! the two questions that matter:
//!
//! * **always "agreement"**: no two learners ever learn different values in slot 0;
//! * **sometimes "value chosen"**: some learner learns a value, so a passing run did reach the interesting part of
//!   the state space instead of passing vacuously.
//!
//! The cluster is the explorer's: three acceptor-learners (nodes 0..3) and two proposers (nodes 3 and 4), each
//! proposer proposing its own value once, with no ticks (so each proposer runs one ballot). Stateright delivers
//! messages in every order over an unordered, lossless, non-duplicating network, and, where asked to, crashes and
//! recovers nodes.
//!
//! The adapter is deliberately thin: stateright's `Id(i)` is our `NodeId(i)`, a delivery is [`Node::step`], the
//! outbox becomes `Out::send`s, and a crash keeps exactly what [`Node::restart`] keeps. The checks are:
//!
//! 1. the correct protocol has no agreement counterexample and does reach a chosen value, with and without
//!    crashes;
//! 2. each teaching bug ([`Bug::ALL`]) breaks agreement, and stateright finds the counterexample: `ignore-accepted`
//!    and `minority-quorum` on the plain network, `amnesia` only once nodes can crash and recover;
//! 3. stateright and our explorer, run on the same configuration without faults, give the same verdict.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use paxos_core::{Bug, Cluster, Msg, Node, NodeId, Slot, Value};
use paxos_sim::explore::{explore, ExploreOptions};
use paxos_sim::Rule;
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use stateright::actor::{Actor, ActorModel, ActorModelState, Id, LossyNetwork, Network, Out};
use stateright::{Checker, Expectation, Model};

/// One of our nodes, seen by stateright as an actor. Every actor of a model shares the same cluster.
#[derive(Clone)]
struct PaxosActor {
    cluster: Arc<Cluster>,
    crashes: bool,
}

/// Our id for a stateright id. Both are the node's index in the configuration.
fn node_id(id: Id) -> NodeId {
    let index = usize::from(id);
    NodeId(u8::try_from(index).unwrap_or_else(|_| panic!("actor index {index} does not fit a NodeId")))
}

/// What survives a crash of `node` right now: the core's own [`Node::restart`] decides, so the adapter cannot
/// keep or lose more than the simulator and the explorer do. Under the `amnesia` bug the restart forgets the
/// acceptor's durable state, so the image is a fresh node, as if the disk write had never happened.
fn crash_image(node: &Node) -> Node {
    let mut image = node.clone();
    image.restart();
    image
}

/// Hands the node's outputs to stateright: its messages become sends, and its events are dropped (the properties
/// read the learners' logs instead, so that stateright judges the protocol by its own observation).
fn flush(node: &mut Node, o: &mut Out<PaxosActor>) {
    for env in node.drain_outbox() {
        o.send(Id::from(env.to.index()), env.msg);
    }
    node.drain_events().for_each(drop);
}

impl Actor for PaxosActor {
    type Msg = Msg;
    type State = Node;
    // Time does not pass in this model, as in our explorer: no timers, and the core's randomness (backoff after a
    // rejection) comes from a fixed seed, so there is no random choice for stateright to branch on either.
    type Timer = ();
    type Random = ();
    /// The node as a restart would bring it back (see [`crash_image`]).
    type Storage = Node;

    fn on_start(&self, id: Id, storage: &Option<Self::Storage>, o: &mut Out<Self>) -> Self::State {
        let mut node = match storage {
            // A recovery: the node comes back as it was saved, and proposes nothing again, like a restart in the
            // explorer.
            Some(image) => image.clone(),
            None => {
                let id = node_id(id);
                let mut node = Node::new(id, self.cluster.clone());
                if self.cluster.roles(id).proposer {
                    let value = Value::text(&format!("v{id}"));
                    node.propose(value).unwrap_or_else(|e| panic!("a fresh proposer must accept a value: {e}"));
                }
                node
            }
        };
        // Saving at start too means that a recovering proposer finds its storage and does not propose again.
        if self.crashes {
            o.save(crash_image(&node));
        }
        flush(&mut node, o);
        node
    }

    fn on_msg(&self, id: Id, state: &mut Cow<Self::State>, src: Id, msg: Self::Msg, o: &mut Out<Self>) {
        // A fresh generator per delivery, as in the explorer, so that a step depends on the state alone.
        let mut rng = Pcg64Mcg::seed_from_u64(0);
        let mut next = (**state).clone();
        next.step(node_id(src), msg, &mut rng);
        let mut out = Out::new();
        flush(&mut next, &mut out);
        // A delivery that changes nothing is left as a no-op (the state stays borrowed and nothing is output), so
        // that stateright skips it instead of counting a new state that differs only by the consumed message.
        if out.is_empty() && next == **state {
            return;
        }
        debug_assert_eq!(next.id(), node_id(id), "a node must keep its id");
        o.append(&mut out);
        if self.crashes {
            o.save(crash_image(&next));
        }
        *state = Cow::Owned(next);
    }
}

/// The values learned in slot 0, one per learner that learned one. A crashed learner's last state still counts:
/// it did learn the value before it crashed.
fn learned(state: &ActorModelState<PaxosActor>) -> impl Iterator<Item = &Value> {
    state.actor_states.iter().filter_map(|node| node.learner()?.log.get(&Slot(0)))
}

/// The explorer's cluster (three acceptor-learners, two proposers) with `bug`, as a stateright model in which at
/// most `max_crashes` nodes are down at once.
fn model(bug: Option<Bug>, max_crashes: usize) -> ActorModel<PaxosActor> {
    let opts = ExploreOptions { acceptors: 3, proposers: 2, bug, ..ExploreOptions::default() };
    let cluster = match opts.config().validate() {
        Ok(cluster) => Arc::new(cluster),
        Err(e) => panic!("the explorer's configuration with bug {bug:?} must be valid: {e}"),
    };
    assert_eq!((cluster.acceptors.len(), cluster.proposers.len()), (3, 2));
    ActorModel::new((), ())
        .actors(cluster.nodes().map(|_| PaxosActor { cluster: cluster.clone(), crashes: max_crashes > 0 }))
        .init_network(Network::new_unordered_nonduplicating([]))
        .lossy_network(LossyNetwork::No)
        .max_crashes(max_crashes)
        .property(Expectation::Always, "agreement", |_, state| {
            let mut values = learned(state);
            match values.next() {
                Some(first) => values.all(|v| v == first),
                None => true,
            }
        })
        .property(Expectation::Sometimes, "value chosen", |_, state| learned(state).next().is_some())
}

/// What one stateright run found.
struct Verdict {
    /// The values learned in the last state of the agreement counterexample, if stateright found one.
    disagreement: Option<Vec<Value>>,
    chosen: bool,
    unique_states: usize,
    elapsed: Duration,
}

/// Runs stateright's breadth-first search to completion, or until every property has a discovery (so a buggy
/// configuration stops at its shortest counterexample), and prints what it saw.
fn check(label: &str, bug: Option<Bug>, max_crashes: usize) -> Verdict {
    let start = Instant::now();
    let checker = model(bug, max_crashes).checker().spawn_bfs().join();
    let elapsed = start.elapsed();
    let disagreement = checker.discovery("agreement").map(|path| {
        let state = path.last_state();
        learned(state).cloned().collect::<Vec<_>>()
    });
    let verdict = Verdict {
        disagreement,
        chosen: checker.discovery("value chosen").is_some(),
        unique_states: checker.unique_state_count(),
        elapsed,
    };
    println!(
        "stateright {label}: {} unique states ({} generated, depth {}) in {:.2?}; agreement counterexample: {}; \
         value chosen: {}",
        verdict.unique_states,
        checker.state_count(),
        checker.max_depth(),
        verdict.elapsed,
        match &verdict.disagreement {
            Some(values) => format!("learned {values:?}"),
            None => "none".to_string(),
        },
        verdict.chosen,
    );
    if let Some(path) = checker.discovery("agreement") {
        let actions = path.into_actions();
        println!("  counterexample ({} steps):", actions.len());
        for action in &actions {
            println!("    {}", checker.model().format_action(action));
        }
    }
    verdict
}

/// The explorer's options for the stateright configuration: no crashes, drops or duplicates, because the plain
/// stateright model (no `max_crashes`, lossless, non-duplicating) has none either.
fn faultless(bug: Option<Bug>) -> ExploreOptions {
    ExploreOptions { acceptors: 3, proposers: 2, bug, crashes: 0, drops: 0, duplicates: 0, ..ExploreOptions::default() }
}

#[test]
fn correct_protocol_keeps_agreement_and_chooses_a_value() {
    let verdict = check("correct", None, 0);
    assert_eq!(verdict.disagreement, None, "stateright found two learners that disagree in the correct protocol");
    assert!(verdict.chosen, "stateright never saw a learner learn a value: the check would pass vacuously");
}

#[test]
fn correct_protocol_keeps_agreement_across_crashes() {
    // One node down at a time, but any number of crash-recover cycles on a path: a recovering acceptor keeps its
    // promise and accepted values, so agreement must hold, while a recovering learner forgets what it learned.
    let verdict = check("correct, 1 crash at a time", None, 1);
    assert_eq!(verdict.disagreement, None, "stateright found two learners that disagree across crashes");
    assert!(verdict.chosen, "stateright never saw a learner learn a value across crashes");
}

#[test]
fn every_teaching_bug_breaks_agreement() {
    for bug in Bug::ALL {
        // `amnesia` only bites when an acceptor restarts, so that model lets one node at a time crash and recover;
        // the other two bugs break agreement on a network that merely reorders messages.
        let max_crashes = usize::from(bug == Bug::Amnesia);
        let label = format!("{} ({max_crashes} crash at a time)", bug.name());
        let verdict = check(&label, Some(bug), max_crashes);
        let values = verdict
            .disagreement
            .unwrap_or_else(|| panic!("stateright found no agreement counterexample with bug {}", bug.name()));
        assert!(
            values.windows(2).any(|w| w[0] != w[1]),
            "the counterexample for {} must end with two different learned values: {values:?}",
            bug.name()
        );
    }
}

#[test]
fn stateright_and_the_explorer_agree_without_faults() {
    for bug in [None, Some(Bug::IgnoreAccepted), Some(Bug::MinorityQuorum)] {
        let name = bug.map_or("correct", Bug::name);
        let stateright = check(name, bug, 0);

        let start = Instant::now();
        let report = explore(&faultless(bug)).unwrap_or_else(|e| panic!("the explorer failed for {name}: {e}"));
        println!(
            "explorer {name}: {} unique states in {:.2?}; counterexample: {}",
            report.unique_states,
            start.elapsed(),
            report.counterexample.as_ref().map_or("none".to_string(), |c| c.violation.message.clone())
        );
        assert!(!report.truncated, "the explorer stopped at its state limit for {name}");
        assert!(report.chosen_reachable, "the explorer never reached a chosen value for {name}");

        let explorer_rule = report.counterexample.as_ref().map(|c| c.violation.rule);
        match bug {
            None => {
                assert_eq!(stateright.disagreement, None, "stateright: the correct protocol broke agreement");
                assert_eq!(explorer_rule, None, "explorer: the correct protocol broke a rule");
            }
            Some(_) => {
                assert!(stateright.disagreement.is_some(), "stateright missed the {name} violation");
                // Both checkers judge agreement, though from different evidence: stateright from what learners
                // learned, our checker from what a phase-2 quorum of acceptors accepted.
                assert_eq!(explorer_rule, Some(Rule::Agreement), "explorer: the {name} violation");
            }
        }
    }
}

#[test]
fn explorer_finds_the_amnesia_bug_with_a_crash() {
    // Our explorer bounds crashes per path rather than at once; one crash and restart is enough for amnesia. Its
    // checker flags the restart itself (the acceptor's promise went back down), one step before stateright's
    // learners could disagree, so the rule differs while the verdict, "unsafe", is the same.
    let opts = ExploreOptions { crashes: 1, ..faultless(Some(Bug::Amnesia)) };
    let start = Instant::now();
    let report = explore(&opts).unwrap_or_else(|e| panic!("the explorer failed for amnesia: {e}"));
    let counterexample =
        report.counterexample.unwrap_or_else(|| panic!("the explorer found no counterexample for amnesia"));
    println!(
        "explorer amnesia (1 crash): {} unique states in {:.2?}; counterexample: {:?}: {}",
        report.unique_states,
        start.elapsed(),
        counterexample.violation.rule,
        counterexample.violation.message
    );
    assert_eq!(counterexample.violation.rule, Rule::PromiseDecreased);
}

#[test]
fn tmp_measure() {
    for depth in [14usize, 15] {
        let start = Instant::now();
        let c = model(None, 0).checker().target_max_depth(depth).spawn_bfs().join();
        println!("BFS correct depth {depth}: {} unique, {} states, {:?}", c.unique_state_count(), c.state_count(), start.elapsed());
    }
    for (bug, max) in [(None, 100_000usize), (None, 300_000), (Some(Bug::IgnoreAccepted), 2_000_000), (Some(Bug::MinorityQuorum), 2_000_000)] {
        let start = Instant::now();
        let r = explore(&ExploreOptions { max_states: max, ..faultless(bug) }).unwrap();
        println!("explorer {bug:?} max {max}: {} unique, {} states, depth {}, truncated {}, {:?}, cx {:?}", r.unique_states, r.states, r.max_depth, r.truncated, start.elapsed(), r.counterexample.map(|c| (c.violation.rule, c.path.len())));
    }
    let start = Instant::now();
    let r = explore(&ExploreOptions { max_states: 2_000_000, crashes: 1, ..faultless(Some(Bug::Amnesia)) }).unwrap();
    println!("explorer amnesia: {} unique, {} states, depth {}, truncated {}, {:?}, cx {:?}", r.unique_states, r.states, r.max_depth, r.truncated, start.elapsed(), r.counterexample.map(|c| (c.violation.rule, c.path.len())));
}
