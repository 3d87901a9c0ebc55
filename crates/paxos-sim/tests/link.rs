//! The link decoder, fuzzed with proptest: every run round-trips, and no text (random, truncated or with a byte
//! changed) makes it panic; it answers a value or a named error. `PROPTEST_CASES` raises the case counts.
//!
//! Figures (cases per run of `cargo test`): 1,000 round trips, 20,000 random texts, 10,000 random payloads and
//! 3,000 links each truncated at a random point and with a random bit flipped: 37,000 decodes in all.

use paxos_core::{Mode, NodeId, Value};
use paxos_sim::{Command, Faults, Link, LinkError, MsgId, SimConfig, Tape};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Noop),
        (any::<u32>(), any::<u32>()).prop_map(|(client, req)| Value::Txn { client, req }),
        "\\PC{0,40}".prop_map(|s| Value::text(&s)),
    ]
}

fn faults() -> impl Strategy<Value = Faults> {
    (prop_oneof![Just(0.0), 0.0f64..100.0], prop_oneof![Just(0.0), 0.0f64..100.0])
        .prop_map(|(loss, dup)| Faults { loss, dup })
}

fn command() -> impl Strategy<Value = Command> {
    let node = any::<u8>().prop_map(NodeId);
    let msg = any::<u64>().prop_map(MsgId);
    prop_oneof![
        // 40 commands of at most 100,000 events stay within `limits::MAX_RUN_EVENTS`.
        (1u64..100_000).prop_map(|count| Command::Step { count }),
        (node.clone(), value()).prop_map(|(node, value)| Command::Propose { node, value }),
        node.clone().prop_map(|node| Command::Crash { node }),
        node.clone().prop_map(|node| Command::Restart { node }),
        node.clone().prop_map(|node| Command::Tick { node }),
        proptest::collection::vec(proptest::collection::vec(node.clone(), 0..5), 0..4)
            .prop_map(|groups| Command::Partition { groups }),
        Just(Command::Heal),
        (node.clone(), node.clone(), any::<bool>()).prop_map(|(from, to, one_way)| Command::Cut { from, to, one_way }),
        (node.clone(), node.clone(), any::<bool>()).prop_map(|(from, to, one_way)| Command::HealLink {
            from,
            to,
            one_way
        }),
        msg.clone().prop_map(|msg| Command::Drop { msg }),
        msg.clone().prop_map(|msg| Command::Duplicate { msg }),
        (msg.clone(), any::<u64>()).prop_map(|(msg, by)| Command::Delay { msg, by }),
        msg.prop_map(|msg| Command::Deliver { msg }),
        (1u64..100, 100u64..1000, faults()).prop_map(|(a, b, faults)| Command::Network { latency: (a, b), faults }),
        (node.clone(), node, faults()).prop_map(|(from, to, faults)| Command::Link { from, to, faults }),
    ]
}

fn link() -> impl Strategy<Value = Link> {
    (
        any::<u64>(),
        any::<bool>(),
        3usize..10,
        any::<[bool; paxos_core::Bug::ALL.len()]>(),
        (1u64..50, 0u64..50),
        faults(),
        proptest::collection::vec(command(), 0..40),
        any::<u64>(),
    )
        .prop_map(|(seed, multi, n, bugs, (lo, spread), faults, commands, at)| {
            let mut config = SimConfig::new(if multi { Mode::Multi } else { Mode::Single }, n);
            for (bug, on) in paxos_core::Bug::ALL.into_iter().zip(bugs) {
                config.cluster.bugs = config.cluster.bugs.set(bug, on);
            }
            config.latency = (lo, lo + spread);
            config.faults = faults;
            let tape = Tape::from_commands(seed, config, commands);
            let at = if tape.is_empty() { 0 } else { at % (tape.len() + 1) };
            Link { tape, at }
        })
}

/// Decoding either works or names the damage; it never panics. The message is a sentence a person can read.
fn decodes_or_explains(text: &str) {
    if let Err(e) = Link::decode(text) {
        let m = e.to_string();
        assert!(m.starts_with("the link"), "{m}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]
    #[test]
    fn every_run_round_trips(link in link()) {
        let text = link.encode();
        prop_assert_eq!(Link::decode(&text).unwrap(), link);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]
    #[test]
    fn random_text_never_panics(text in "\\PC{0,80}") {
        decodes_or_explains(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    fn random_payloads_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        use base64::Engine as _;
        let text = format!("1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        decodes_or_explains(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn mutated_links_never_panic(link in link(), cut in any::<prop::sample::Index>(),
                                 flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        use base64::Engine as _;
        let text = link.encode();
        // Truncated anywhere.
        decodes_or_explains(&text[..cut.index(text.len() + 1)]);
        // One bit of the payload changed.
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut bytes = engine.decode(&text[2..]).unwrap();
        if !bytes.is_empty() {
            let i = flip.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        decodes_or_explains(&format!("1.{}", engine.encode(&bytes)));
    }
}

#[test]
fn a_future_version_says_so() {
    let e = Link::decode("7.AAAA").unwrap_err();
    assert_eq!(e, LinkError::Version(7));
    assert!(e.to_string().contains("newer playground"));
}
