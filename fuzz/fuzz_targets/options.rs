//! The page's address: `Options::from_url(search, hash)` on any text split at its first `#`, then the first run's
//! settings the options describe (`Options::settings`), as the page does on load.
#![no_main]

// The option parser and the modules it uses, compiled from the page's own source files (web/src) rather than by
// depending on the web package (paxos_web): that crate brings Yew, web-sys and their dependencies, which would make the
// sanitizer build of the fuzz targets (cold, in scripts/test.sh) take minutes longer for code this target never
// runs. The files are the page's, unchanged; if they ever need more of the page, this build says so.
#[allow(dead_code, unused_imports)]
#[path = "../../web/src/geometry.rs"]
mod geometry;
#[allow(dead_code, unused_imports)]
#[path = "../../web/src/input.rs"]
mod input;
#[allow(dead_code, unused_imports)]
#[path = "../../web/src/spacetime.rs"]
mod spacetime;
#[allow(dead_code, unused_imports)]
#[path = "../../web/src/options.rs"]
mod options;
#[allow(dead_code, unused_imports)]
#[path = "../../web/src/protocol/mod.rs"]
mod protocol;

use input::Settings;
use libfuzzer_sys::fuzz_target;
use options::{Options, PANELS};

fuzz_target!(|text: &str| {
    let (search, hash) = text.split_once('#').map_or((text, ""), |(s, h)| (s, h));
    let Ok(options) = Options::<paxos_sim::Paxos>::from_url(search, hash) else { return };
    if let Ok(settings) = options.settings(Settings::default()) {
        settings.sim_config().expect("settings that Options::settings accepted make a cluster");
    }
    for panel in PANELS {
        let _ = options.shows(panel);
    }
    let _ = options.is_figure();
    if let Some(run) = &options.run {
        let _ = paxos_sim::Link::decode(run);
    }
});
