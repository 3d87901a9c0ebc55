//! The second module's entry point for Trunk (`paxos-web-all`, built with the feature `raft`): the same start as
//! `paxos-web`'s, in a build that also draws Raft and Compare. start.js picks it for `?protocol=raft` and
//! `?compare=1` (scripts/csp-loader.mjs).

fn main() {
    #[cfg(target_arch = "wasm32")]
    paxos_web::web::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("paxos-web-all runs in a browser: `scripts/serve.sh`, then open the URL it prints with ?protocol=raft.");
}
