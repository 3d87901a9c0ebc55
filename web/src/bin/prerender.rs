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
    let options = paxos_web::options::Options::from_url(&query, "").unwrap_or_else(|e| fail(&e));
    match figure {
        Some(ids) => print!("{}", paxos_web::prerender::picture(options, &ids, false)),
        None => print!("{}", paxos_web::prerender::render(options, None)),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("paxos-prerender: {message}");
    std::process::exit(2)
}
