//! The playground's entry point for Trunk: everything lives in the library.

fn main() {
    #[cfg(target_arch = "wasm32")]
    paxos_web::web::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("paxos-web runs in a browser: `scripts/serve.sh`, then open the URL it prints.");
}
