//! `#run=` links: `Link::decode` on any text, then what the page does with a decoded link (`Engine::from_tape`
//! replays the whole tape): the replay must refuse or run, never panic. A decoded link re-encodes to a link that
//! decodes to the same run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paxos_sim::Link;

/// The most moments replayed per input: a link may hold up to `MAX_RUN_EVENTS` (5 million) moments by design,
/// which is seconds of simulation under AddressSanitizer, so the fuzzer replays a prefix (docs/fuzzing.md).
const MAX_REPLAY: u64 = 20_000;

fuzz_target!(|text: &str| {
    let Ok(link) = Link::decode(text) else { return };
    let encoded = link.encode();
    let again = Link::decode(&encoded).unwrap_or_else(|e| panic!("{encoded} does not decode again: {e}"));
    assert_eq!(again.encode(), encoded, "a link re-encodes to itself");
    assert_eq!(again.tape.commands().len(), link.tape.commands().len());
    assert_eq!(again.tape.len(), link.tape.len());
    assert_eq!(again.at, link.at);
    // The same run, compared through Debug so that a NaN rate, if one were ever accepted, still compares equal.
    assert_eq!(format!("{:?}", again.tape), format!("{:?}", link.tape));
    let at = link.at.min(MAX_REPLAY);
    if let Ok(sim) = link.tape.replay(at, false) {
        // What the page shows at that moment.
        let _ = paxos_sim::Snapshot::of(&sim);
    }
});
