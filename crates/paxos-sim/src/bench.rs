//! The steady-state workload that `paxos bench` and the browser's benchmark both measure, so their numbers compare.

use paxos_core::{Mode, NodeId, Value};

use crate::command::Command;
use crate::protocol::Protocol;
use crate::sim::{SimConfig, Simulator};

/// What one measurement saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SteadyState {
    /// Messages delivered while measuring.
    pub deliveries: u64,
    /// Milliseconds measured, by the caller's clock.
    pub ms: f64,
    /// Safety violations found (there should be none).
    pub violations: usize,
    /// Slots decided by the end (the client's requests keep coming only as they are).
    pub decided: usize,
}

impl SteadyState {
    /// Deliveries per second.
    pub fn rate(&self) -> f64 {
        self.deliveries as f64 / (self.ms.max(1e-3) / 1000.0)
    }
}

/// Runs a 5-node Multi-Paxos cluster, checker on and not recording, with a client that keeps eight transaction
/// requests in flight at the leader, until `target` messages have been delivered after the first election. `now`
/// reads a clock in milliseconds (`Instant` natively, `performance.now()` in a browser).
pub fn steady_state(target: u64, now: impl Fn() -> f64) -> SteadyState {
    steady_state_of(SimConfig::new(Mode::Multi, 5), target, now)
}

/// [`steady_state`] for a 5-node Raft cluster: the same network, client and measure.
pub fn raft_steady_state(target: u64, now: impl Fn() -> f64) -> SteadyState {
    steady_state_of(SimConfig::raft(5), target, now)
}

fn steady_state_of<P: Protocol>(config: SimConfig<P>, target: u64, now: impl Fn() -> f64) -> SteadyState {
    let mut sim = Simulator::new(1, config, false).expect("the benchmark's config is valid");
    while sim.leader().is_none() {
        sim.step();
    }
    let mut req = 0u32;
    let t0 = now();
    let start = sim.deliveries();
    while sim.deliveries() - start < target {
        let leader = sim.leader().unwrap_or(NodeId(0));
        while u64::from(req) < sim.chosen().len() as u64 + 8 {
            let _ = sim.apply(Command::Propose { node: leader, value: Value::Txn { client: 1, req } });
            req += 1;
        }
        for _ in 0..64 {
            sim.step();
        }
    }
    let (deliveries, ms) = (sim.deliveries() - start, now() - t0);
    SteadyState { deliveries, ms, violations: sim.violations().len(), decided: sim.chosen().len() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_steady_state_makes_progress_safely() {
        let calls = std::cell::Cell::new(0.0);
        let r = super::steady_state(20_000, || {
            calls.set(calls.get() + 1.0);
            calls.get()
        });
        assert!(r.deliveries >= 20_000);
        assert_eq!(r.violations, 0);
        assert!(r.decided > 500, "Multi-Paxos decides as it delivers ({})", r.decided);
        let r = super::raft_steady_state(20_000, || {
            calls.set(calls.get() + 1.0);
            calls.get()
        });
        assert!(r.deliveries >= 20_000);
        assert_eq!(r.violations, 0);
        assert_eq!(r.ms, 1.0);
    }
}
