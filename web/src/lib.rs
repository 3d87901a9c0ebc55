//! # The browser playground
//!
//! A Yew single-page app over [`paxos_sim`]: it keeps one [`Simulator`](paxos_sim::Simulator) in one reducer
//! ([`state`]), advances it with simulated time while playing, and draws its read-only
//! [`Snapshot`](paxos_sim::Snapshot). Every button dispatches an [`state::Action`] that is the simulator
//! [`Command`](paxos_sim::Command) of the same name, so the page, the CLI and the transcript tests share one
//! vocabulary.
//!
//! The geometry ([`geometry`]), the input checks ([`input`]), the event history ([`history`]) and the time-driven
//! engine ([`engine`]) are plain Rust tested natively (`cargo test -p web`); the components are tested in a
//! headless browser with wasm-bindgen-test.
#![deny(missing_docs)]

pub mod bench;
#[cfg(any(feature = "raft", test))]
pub mod compare;
pub mod components;
pub mod engine;
pub mod explain;
pub mod frames;
pub mod geometry;
pub mod history;
pub mod host;
pub mod input;
pub mod options;
#[cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
pub mod prerender;
pub mod protocol;
pub mod spacetime;
pub mod state;
pub mod tour;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod worker;
