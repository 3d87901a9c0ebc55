//! `paxos-prerender [--figure PREFIX] [QUERY]`: prints the playground's first screen for a page address's query
//! (`?nodes=5`), or with `--figure` the picture of a figure with those options (`?embed=1&scenario=dueling`), its
//! element ids starting with PREFIX, to put inside the element a page mounts it on (docs/embedding.md). Nothing
//! inline: it suits a page under a strict Content-Security-Policy.
fn main() {
    let mut args = std::env::args().skip(1).collect::<Vec<_>>();
    let figure = match args.iter().position(|a| a == "--figure") {
        Some(i) if i + 1 < args.len() => Some(args.drain(i..i + 2).nth(1).unwrap_or_default()),
        Some(_) => fail("--figure needs the prefix of the figure's element ids, like f1-"),
        None => None,
    };
    let query = args.first().cloned().unwrap_or_default();
    // The query's `protocol` picks the protocol drawn, as it picks the module that draws it in the page.
    let pairs = query.trim_start_matches('?').split('&').filter_map(|p| p.split_once('='));
    match paxos_web::options::protocol_asked(pairs.map(|(k, v)| (k.to_owned(), v.to_owned()))) {
        "raft" => print!("{}", screen::<paxos_sim::Raft>(&query, figure.as_deref())),
        _ => print!("{}", screen::<paxos_sim::Paxos>(&query, figure.as_deref())),
    }
}

fn screen<P: paxos_web::components::draw::Draw>(query: &str, figure: Option<&str>) -> String {
    let options = paxos_web::options::Options::<P>::from_url(query, "").unwrap_or_else(|e| fail(&e));
    match figure {
        Some(ids) => paxos_web::prerender::picture(options, ids, false),
        None => paxos_web::prerender::render(options, None),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("paxos-prerender: {message}");
    std::process::exit(2)
}
