//! A goal from outside (an address's `goal=`, a `mount()` option, a book block, `paxos exercise --goal`): any text
//! is read or refused with a message, never a panic; a goal read writes back as text that reads as the same goal;
//! and a watch of it follows a short run. The exercise file reader gets the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paxos_core::{Mode, NodeId, Value};
use paxos_sim::goal::{Goal, Watch};
use paxos_sim::{Command, SimConfig, Simulator};

fuzz_target!(|text: &str| {
    let _ = paxos_sim::exercise::parse(text);
    let Ok(goal) = text.parse::<Goal>() else { return };
    let again: Goal = goal.to_string().parse().expect("a goal's own text reads back");
    assert_eq!(again, goal);
    if goal.fits(3).is_err() {
        return;
    }
    let mut sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), true).unwrap();
    let mut watch = Watch::new(goal, None, 0);
    for c in [
        Command::Propose { node: NodeId(0), value: Value::text("a") },
        Command::Crash { node: NodeId(2) },
        Command::Step { count: 30 },
    ] {
        sim.apply(c).unwrap();
        let events: Vec<_> = sim.drain_events().collect();
        watch.observe(&events, &sim);
    }
    let _ = watch.progress(&sim);
});
