//! The page's benchmarks, in wasm (`window.paxosBench`, `window.paxosTravelBench`) and natively (the
//! `bench_time_travel` example): the simulator's throughput and the time-travel engine's seeks and link length.

use paxos_core::NodeId;
use paxos_sim::Command;

use crate::engine::Engine;
use crate::input::PaxosSettings as Settings;

/// Simulator throughput as the CLI's `bench` measures it ([`paxos_sim::bench::steady_state`]). `now` reads a
/// millisecond clock. Returns (deliveries per second, deliveries, milliseconds).
pub fn bench_deliveries(target: u64, now: impl Fn() -> f64) -> (f64, u64, f64) {
    let r = paxos_sim::bench::steady_state(target, now);
    (r.rate(), r.deliveries, r.ms)
}

/// What [`bench_time_travel`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct TravelBench {
    /// Moments in the long run.
    pub moments: u64,
    /// Milliseconds to play it (recording, checkpointing).
    pub play_ms: f64,
    /// Milliseconds of each seek, in the order of [`SEEK_TARGETS`] (moment 100,000 first).
    pub seeks_ms: Vec<f64>,
    /// Checkpoints kept and their interval.
    pub checkpoints: (usize, u64),
    /// Characters of the link to a run of 1,000 user actions.
    pub link_chars_1000_actions: usize,
    /// Moments in that run.
    pub link_run_moments: u64,
}

/// The moments [`bench_time_travel`] seeks to, from the end of its run: moment 100,000 first, then backwards,
/// forwards and to the start.
pub const SEEK_TARGETS: [u64; 8] = [100_000, 3, 77_777, 119_000, 50_001, 100_000, 1_024, 0];

/// The time-travel benchmark (README numbers): plays a 120,000-moment Multi-Paxos run with a steady client, as the
/// page does at top speed, then seeks to [`SEEK_TARGETS`]; and measures the link of a run of 1,000 user actions
/// (proposals, crashes, restarts, partitions, drops, with play in between). `now` reads a millisecond clock.
pub fn bench_time_travel(now: impl Fn() -> f64) -> TravelBench {
    use paxos_core::{Mode, Value};
    let settings = Settings { mode: Mode::Multi, nodes: 5, ..Settings::default() };
    let Ok(mut e) = Engine::new(&settings) else { unreachable!("valid settings") };
    let t0 = now();
    let (mut t, mut req) = (0.0, 0);
    while e.at < 120_000 {
        t += 60.0;
        let _ = e.apply(Command::Propose { node: NodeId(0), value: Value::Txn { client: 1, req } });
        req += 1;
        e.advance(t, 400, None);
    }
    let play_ms = now() - t0;
    let seeks_ms = SEEK_TARGETS
        .iter()
        .map(|&m| {
            let t = now();
            e.seek(m);
            now() - t
        })
        .collect();
    let checkpoints = e.checkpoint_stats();
    let moments = e.tape.len();

    // 1,000 actions of a person: mostly proposals and plays, with faults.
    let Ok(mut l) = Engine::new(&Settings { nodes: 5, ..Settings::default() }) else { unreachable!("valid settings") };
    let mut t = 0.0;
    for i in 0..1000u32 {
        let node = NodeId((i % 5) as u8);
        let _ = match i % 10 {
            0..=3 => l.apply(Command::Propose { node, value: Value::text(&format!("value {i}")) }),
            4 => l.apply(Command::Crash { node }),
            5 => l.apply(Command::Restart { node: NodeId(((i + 4) % 5) as u8) }),
            6 => l.apply(Command::Partition { groups: vec![vec![node, NodeId(((i + 1) % 5) as u8)]] }),
            7 => l.apply(Command::Heal),
            8 => {
                let first = l.sim().in_flight().next().map(|m| m.id);
                match first {
                    Some(msg) => l.apply(Command::Drop { msg }),
                    None => l.apply(Command::Step { count: 1 }),
                }
            }
            _ => l.apply(Command::Step { count: 1 }),
        };
        t += 15.0;
        l.advance(t, 400, None);
    }
    let link = paxos_sim::Link { tape: l.tape.clone(), at: l.at }.encode();
    TravelBench {
        moments,
        play_ms,
        seeks_ms,
        checkpoints,
        link_chars_1000_actions: link.len(),
        link_run_moments: l.tape.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_counts_deliveries() {
        let t = std::cell::Cell::new(0.0);
        let (rate, n, _) = bench_deliveries(2000, || {
            t.set(t.get() + 1.0);
            t.get()
        });
        assert!(n >= 2000 && rate > 0.0);
    }
}
