//! The preprocessor checks a block before the playground sees it, with its own copy of the web app's vocabularies
//! (the web app is a browser crate that a book's build tool should not compile). These tests pin the copy: the
//! keys and panels are the web app's, and on a table of blocks the preprocessor accepts exactly what the figure it
//! writes accepts (its `<paxos-figure>` attributes, through the web app's own option parser, `paxos_web::options`).

use mdbook_paxos::block::{self, KEYS, PANELS, THEMES};
use mdbook_paxos::chapter::attribute;
use paxos_web::options::{Options, Source, PANELS as WEB_PANELS};

/// What `<paxos-figure>` makes of the block: each option the attribute the preprocessor writes, read by the web
/// app's parser as `mountAttributes` reads it (web/src/web.rs, `mount_options`).
fn mount(options: &block::Options) -> Result<Options, String> {
    let mut o = Options::default();
    for (key, value) in options {
        o.set(Source::Attribute, key, &attribute(key, value))?;
    }
    o.validate()
}

#[test]
fn the_keys_and_panels_are_the_web_apps() {
    let web: Vec<&str> = paxos_web::options::KEYS.iter().copied().filter(|k| *k != "step").collect();
    let mut ours = KEYS.to_vec();
    let mut theirs = web.clone();
    ours.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ours, theirs, "block::KEYS are the options of mount() but its old name `step`");
    assert_eq!(PANELS, WEB_PANELS);
}

#[test]
fn every_theme_is_one_the_playground_takes() {
    for theme in THEMES {
        let mut o: Options = Options::default();
        assert_eq!(o.set(Source::Attribute, "theme", theme), Ok(()), "theme {theme}");
    }
}

#[test]
fn the_preprocessor_accepts_what_its_figures_accept() {
    let blocks = [
        "",
        "scenario = \"dueling\"\ncontrols = [\"timeline\", \"diagram\"]",
        "scenario = \"proposer-crash\"\nbug = [\"ignore-accepted\"]",
        "scenario = \"partition\"\nmoment = 30\nautoplay = true\ntheme = \"dark\"",
        "tour = true",
        "seed = 7\nnodes = 5\nmode = \"multi\"\nbug = [\"amnesia\", \"break-promise\"]",
        "nodes = 5\nq1 = 4\nq2 = 2",
        "loss = 2.5\ndup = 100\nlatency = [1, 10000]",
        "arrows = \"all\"",
        "arrows = [\"prepare\", \"promise\", \"catch_up\"]",
        "embed = false\ncontrols = []",
        "run = \"1.AQAD\"\nscenario = \"dueling\"\nnodes = 5",
        // Refused by both.
        "scenario = \"duel\"",
        "scenario = \"dueling\"\nnodes = 5",
        "scenario = \"dueling\"\nseed = 1",
        "tour = true\nbug = [\"amnesia\"]",
        "controls = [\"diagrams\"]",
        "nodes = 2",
        "nodes = 10",
        "nodes = 5\nq1 = 2\nq2 = 3",
        "q1 = 4",
        "mode = \"raft\"",
        "bug = [\"forgetful\"]",
        "arrows = [\"heartbeats\"]",
        "loss = 101",
        "latency = [0, 60]",
        "latency = [60, 20]",
        "latency = [1, 10001]",
        "theme = \"coal\"",
        "colour = \"red\"",
    ];
    for text in blocks {
        let Ok(options) = block::parse(text) else {
            // The same values, unchecked, as a figure's attributes: the figure must refuse them too.
            let table: toml::Table = text.parse().unwrap();
            let json = table.into_iter().map(|(k, v)| (k, serde_json::to_value(v).unwrap())).collect();
            let e = block::parse(text).unwrap_err();
            assert!(mount(&json).is_err(), "{text:?}: the preprocessor refuses it ({e}) but the figure takes it");
            continue;
        };
        assert_eq!(mount(&options).map(drop), Ok(()), "{text:?}: the preprocessor takes it but the figure refuses it");
    }
}
