//! The coverage meter's meaning, pinned on clusters small enough to enumerate.
//!
//! * The map tells the explorer's states apart: every state the search visits has its own key.
//! * The map is onto and into: driving the simulator along every transition the explorer takes (deliver any
//!   message ever sent, crash and restart a node within the budget), from the explorer's start, reaches exactly
//!   the explorer's states, and nothing outside them.
//! * A run that replays one explorer path covers exactly that path's states, one at each depth.

use std::collections::{HashSet, VecDeque};

use paxos_core::{Bug, NodeId};
use paxos_sim::explore::coverage::{measure, Meter, Place, Probe, Space};
use paxos_sim::explore::{explore, fork_commands, ExploreOptions};
use paxos_sim::fuzz::FuzzOptions;
use paxos_sim::{Command, Protocol, Raft};

fn options(acceptors: usize, proposers: usize, crashes: u8) -> ExploreOptions {
    ExploreOptions { acceptors, proposers, crashes, ..ExploreOptions::default() }
}

/// Every state reachable from the explorer's start by the explorer's own actions, run in the simulator: a message
/// ever sent delivered (a copy of it kept in flight, as the set network keeps it), a node crashed and restarted
/// while the budget lasts, or, while the timeout budget lasts, a node that does not lead ticked until its timer
/// fires (its round changes). States are told apart by where they fall.
fn enumerate<P: Protocol>(space: &Space<P>) -> HashSet<Place> {
    let cfg = space.config();
    let start = Probe::new(space, 0, &cfg).unwrap();
    let mut seen = HashSet::from([start.place()]);
    let mut queue = VecDeque::from([(start, 0u8)]);
    while let Some((probe, crashes)) = queue.pop_front() {
        let mut next = Vec::new();
        let mut envs = Vec::new();
        for m in probe.sim().in_flight() {
            if !envs.contains(&m.env) {
                envs.push(m.env.clone());
                next.push((vec![Command::Duplicate { msg: m.id }, Command::Deliver { msg: m.id }], crashes));
            }
        }
        let nodes = || (0..probe.sim().nodes().len()).map(|i| NodeId(i as u8));
        if crashes < space.options().crashes {
            for node in nodes() {
                next.push((vec![Command::Crash { node }, Command::Restart { node }], crashes + 1));
            }
        }
        for (commands, crashes) in next {
            let mut p = probe.clone();
            for c in commands {
                p.apply(c).unwrap();
            }
            if seen.insert(p.place()) {
                queue.push_back((p, crashes));
            }
        }
        if probe.timeouts() < space.options().timeouts {
            for node in nodes().filter(|n| !P::leads(&probe.sim().nodes()[n.index()])) {
                let mut p = probe.clone();
                let round = |p: &Probe<'_, P>| P::round(&p.sim().nodes()[node.index()]);
                let before = round(&p);
                while round(&p) == before {
                    p.apply(Command::Tick { node }).unwrap();
                }
                if seen.insert(p.place()) {
                    queue.push_back((p, crashes));
                }
            }
        }
    }
    seen
}

/// Checks the map on these clusters of protocol `P`: see the module documentation.
fn drive<P: Protocol>(clusters: &[ExploreOptions<P>]) {
    for opts in clusters {
        let space = Space::new(opts).unwrap();
        let what = format!(
            "{} {} acceptors, {} proposers, {} crashes, {} timeouts",
            P::NAME,
            opts.acceptors,
            opts.proposers,
            opts.crashes,
            opts.timeouts
        );
        assert!(space.report().complete, "{what}");
        assert_eq!(space.distinct(), space.states(), "{what}: two states of the search share a key");
        assert_eq!(space.states() as u64, space.report().unique_states, "{what}");
        let seen = enumerate(&space);
        let outside: Vec<_> = seen.iter().filter(|p| matches!(p, Place::Outside(..))).collect();
        assert!(outside.is_empty(), "{what}: the simulator left the explorer's space: {outside:?}");
        assert_eq!(seen.len(), space.states(), "{what}: the simulator reached a different number of states");
        println!("{what}: {} states, all reached", space.states());
    }
}

/// Checks the map on these Paxos clusters: see the module documentation.
fn drive_everywhere(clusters: &[(usize, usize, u8)]) {
    let clusters: Vec<ExploreOptions> = clusters.iter().map(|&(a, p, c)| options(a, p, c)).collect();
    drive(&clusters);
}

#[test]
fn driving_the_simulator_along_every_transition_reaches_exactly_the_explorers_states() {
    drive_everywhere(&[(3, 1, 0), (3, 1, 1), (1, 3, 1)]);
}

/// The clusters `paxos fuzz --coverage` measures with two proposers, in a release build (`scripts/test.sh` runs
/// it): `cargo test --release -p paxos-sim --test coverage -- --ignored`.
#[test]
#[ignore]
fn driving_the_simulator_along_every_transition_of_the_default_cluster() {
    drive_everywhere(&[(3, 2, 1)]);
}

#[test]
fn a_run_that_delivers_one_message_covers_two_states() {
    // 3 acceptors, one of them the proposer, no crash. Delivering the proposer's prepare to itself (before the
    // clock runs) covers the start and the state after that delivery, and reaches no decision; a fuzz run, with
    // its clock, gets further.
    let space = Space::new(&options(3, 1, 0)).unwrap();
    assert_eq!(space.states(), 71);
    let cfg = space.config();
    let probe = Probe::new(&space, 0, &cfg).unwrap();
    let prepare = probe.sim().in_flight().find(|m| m.env.to == NodeId(0)).unwrap().id;
    let mut meter = Meter::new(&space);
    meter.run(0, &cfg, &[Command::Deliver { msg: prepare }]).unwrap();
    let r = meter.report();
    assert_eq!((r.covered, r.observed, r.observed_inside, r.outside_states), (2, 2, 2, 0));
    assert_eq!(r.by_depth.iter().map(|d| d.covered).take(3).collect::<Vec<_>>(), [1, 1, 0]);
    assert_eq!(r.decisions.len(), 1);
    assert_eq!((r.decisions[0].covered, r.decisions[0].reached_anywhere), (0, false));
    let r = measure(&space, 0, 1, &FuzzOptions::default(), 1).unwrap();
    assert!(r.covered > 2, "{r:?}");
}

#[test]
fn a_run_that_replays_an_explorer_path_covers_exactly_its_states() {
    // The explorer's shortest path to a violation (ignore-accepted: a proposer proposes its own value over one a
    // promise reported), replayed in the simulator from the same start with no clock: it covers the path's states,
    // one at each depth (the path is a shortest one), and nothing else.
    let opts = ExploreOptions { bug: Some(Bug::IgnoreAccepted), ..options(3, 2, 0) };
    let path = explore(&opts).unwrap().counterexample.expect("minority-quorum breaks a rule").path;
    let space = Space::new(&opts).unwrap();
    assert_eq!(space.distinct(), space.states());
    let cfg = space.config();
    let commands = fork_commands(Probe::new(&space, 0, &cfg).unwrap().sim(), &path).unwrap();
    let mut meter = Meter::new(&space);
    meter.run(0, &cfg, &commands).unwrap();
    let r = meter.report();
    println!("{} actions, {} commands: {r:?}", path.len(), commands.len());
    assert_eq!(r.covered, path.len() as u64 + 1);
    assert_eq!(r.outside_states, 0);
    for d in &r.by_depth {
        assert_eq!(d.covered, u64::from(d.depth as usize <= path.len()), "depth {}", d.depth);
    }
}

#[test]
fn fuzz_runs_stay_inside_the_explorers_space_or_say_why_not() {
    // 3 acceptors, 1 proposer, 1 crash: whatever the schedules do, a run state outside the explorer's space ran
    // a second ballot, timed out or crashed twice; none is outside for any other reason.
    let space = Space::new(&options(3, 1, 1)).unwrap();
    let r = measure(&space, 0, 200, &FuzzOptions::default(), 2).unwrap();
    println!("{r:?}");
    assert!(r.complete);
    assert_eq!(r.outside_other, 0);
    assert!(r.covered > 0 && r.covered <= r.states);
    assert_eq!(r.outside_states, r.outside_round + r.outside_timer + r.outside_crashes);
    assert_eq!(r.outside_timeouts, 0, "Paxos's explorer fires no timer");
    assert_eq!(r.by_depth.iter().map(|d| d.states).sum::<u64>(), r.states);
    assert_eq!(r.by_depth.iter().map(|d| d.covered).sum::<u64>(), r.covered);
}

fn raft(crashes: u8, timeouts: u8) -> ExploreOptions<Raft> {
    ExploreOptions { acceptors: 3, proposers: 0, crashes, timeouts, ..ExploreOptions::default() }
}

#[test]
fn driving_raft_along_every_transition_reaches_exactly_the_explorers_states() {
    // A timeout is the node's ticks up to its campaign; the explorer's key leaves the timer out, so the ticks
    // before it change nothing the map reads.
    drive(&[raft(0, 1), raft(1, 1)]);
}

/// Raft's default cluster without the crash (49,036 states), in a release build:
/// `cargo test --release -p paxos-sim --test coverage -- --ignored`.
#[test]
#[ignore]
fn driving_raft_along_every_transition_of_the_default_cluster_without_a_crash() {
    drive(&[raft(0, 2)]);
}

#[test]
fn raft_fuzz_runs_cover_pinned_states_and_say_why_they_leave() {
    // 3 Raft nodes, one crash, one election timeout (394 states): 300 of the fuzzer's schedules, pinned. A run
    // leaves the explorer's space when a leader's heartbeat carries something no message before did (the commit
    // index, say: the explorer's leaders send no heartbeats), at a second election, or at a second crash.
    let space = Space::new(&raft(1, 1)).unwrap();
    assert_eq!(space.states(), 394);
    let r = measure(&space, 0, 300, &FuzzOptions::default(), 2).unwrap();
    println!("{r:?}");
    assert!(r.complete);
    assert_eq!((r.covered, r.observed, r.observed_inside), (121, 65310, 6331));
    // Outside: 4,683 after a heartbeat, 919 after a second election, 4 after a second crash, none for no reason.
    assert_eq!((r.outside_timer, r.outside_timeouts, r.outside_crashes, r.outside_other), (4683, 919, 4, 0));
    assert_eq!(r.outside_round, 0, "a Raft timer that starts a round is an election, which the explorer fires");
    // By term: the start, term 1 without a leader yet (35 of 96 states), term 1 with its leader (85 of 297).
    let terms: Vec<_> = r.by_round.iter().map(|b| (b.round.as_deref(), b.leader, b.covered, b.states)).collect();
    assert_eq!(terms, [(Some("t0"), false, 1, 1), (Some("t1"), false, 35, 96), (Some("t1"), true, 85, 297)]);
    assert_eq!(r.by_round.iter().map(|b| b.states).sum::<u64>(), r.states);
    assert_eq!(r.by_round.iter().map(|b| b.covered).sum::<u64>(), r.covered);
    assert_eq!(r.by_depth.iter().map(|d| d.covered).sum::<u64>(), r.covered);
}
