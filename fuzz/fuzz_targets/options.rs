//! The page's address: `Options::from_url(search, hash)` on any text split at its first `#`, then the first run's
//! settings the options describe (`Options::settings`), as the page does on load.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paxos_web::input::Settings;
use paxos_web::options::{Options, PANELS};

fuzz_target!(|text: &str| {
    let (search, hash) = text.split_once('#').map_or((text, ""), |(s, h)| (s, h));
    let Ok(options) = Options::from_url(search, hash) else { return };
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
