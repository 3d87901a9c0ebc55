//! The time-travel benchmark, natively: `cargo run --release -p web --example bench_time_travel`.
//! The browser runs the same code (`window.paxosTravelBench()`, printed by `node e2e/bench.mjs`).

use std::time::Instant;

use paxos_web::bench::{bench_time_travel, SEEK_TARGETS};

fn main() {
    let start = Instant::now();
    let r = bench_time_travel(|| start.elapsed().as_secs_f64() * 1000.0);
    println!(
        "played {} moments in {:.0} ms; {} checkpoints every {} moments",
        r.moments, r.play_ms, r.checkpoints.0, r.checkpoints.1
    );
    for (m, ms) in SEEK_TARGETS.iter().zip(&r.seeks_ms) {
        println!("  seek to moment {m:>7}: {ms:6.2} ms");
    }
    let max = r.seeks_ms.iter().cloned().fold(0.0, f64::max);
    println!("slowest seek {max:.2} ms (target <= 50 ms)");
    println!(
        "link to a run of 1,000 actions ({} moments): {} characters",
        r.link_run_moments, r.link_chars_1000_actions
    );
}
