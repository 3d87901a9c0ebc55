//! `paxos-prerender [QUERY]`: prints the playground's first screen for a page address's query (`?nodes=5`).
fn main() {
    let query = std::env::args().nth(1).unwrap_or_default();
    match paxos_web::options::Options::from_url(&query, "") {
        Ok(o) => print!("{}", paxos_web::prerender::render(o, None)),
        Err(e) => {
            eprintln!("paxos-prerender: {e}");
            std::process::exit(2);
        }
    }
}
