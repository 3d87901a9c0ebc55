//! Compare (`?compare=1`, in the second module): Multi-Paxos and Raft side by side on one timeline. Raft's run leads
//! time (its toolbar, timeline and scenarios are the page's own components); Multi-Paxos's follows its clock
//! (`Action::Follow`), so both show the same simulated time. What a person does to a node, a link or the network is
//! done to both (`Action::shared`); a message's fault and a selection stay on their side. Under the drawings, the
//! differences they show, in sentences (`crate::compare`).

use std::rc::Rc;

use paxos_sim::{Link, Paxos, Raft};
use yew::prelude::*;

use super::app::MAX_STEPS_PER_FRAME;
use super::banner::SafetyBanner;
use super::cluster::ClusterView;
use super::network::NetworkPanel;
use super::propose::ProposePanel;
use super::timeline::Timeline;
use super::toolbar::Toolbar;
use super::tour::{Lesson, ScenarioPicker};
use crate::compare::{differences, paxos_beside};
use crate::frames::use_frames;
use crate::options::Options;
use crate::state::{Action, AppState};

/// Compare's properties: the options of its address (Raft's: a scenario, a shared Raft run, the settings).
#[derive(Properties, PartialEq, Clone, Default)]
pub struct CompareProps {
    /// What the address asks for.
    #[prop_or_default]
    pub options: Options<Raft>,
    /// A problem with the address, to show.
    #[prop_or_default]
    pub notice: Option<String>,
    /// Prefix of element ids: empty on the full page, `p1-`… for a mounted Compare (each side adds its own).
    #[prop_or_default]
    pub ids: String,
    /// Filled with the dispatcher, for the `mount` handle (which drives both runs, as the page's buttons do).
    #[prop_or_default]
    pub remote: Option<super::app::Remote<Raft>>,
}

/// Multi-Paxos's run beside `raft`'s, as a link at moment 0 (see [`paxos_beside`]).
fn beside(raft: &AppState<Raft>) -> Option<String> {
    let e = paxos_beside(&raft.run.engine()).ok()?;
    Some(Link { tape: e.tape.clone(), at: 0 }.encode())
}

/// The page.
#[component]
pub fn Compare(props: &CompareProps) -> Html {
    let init = props.clone();
    let raft = use_reducer(move || {
        // Raft's run leads, so its controls have the page's ids (`#play`, `#timeline`); Multi-Paxos's add `p-`.
        let s = AppState::<Raft>::from_options(&init.options, Default::default(), init.notice.clone(), &init.ids);
        // Rendered natively for the HTML, a scenario opens at once: the lessons are at hand.
        #[cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
        let s = match s.view.pending.is_some() {
            true => (*Rc::new(s).reduce(Action::LessonsLoaded(Ok(crate::prerender::LESSONS.to_owned())))).clone(),
            false => s,
        };
        s
    });
    let paxos = use_reducer({
        let first = (*raft).clone();
        let ids = format!("{}p-", props.ids);
        move || {
            let settings = crate::input::Settings { mode: paxos_core::Mode::Multi, ..Default::default() };
            let view = crate::state::View { ids: Rc::from(ids.as_str()), ..Default::default() };
            let s = AppState::<Paxos> { view, ..AppState::new(settings) };
            // Beside Raft's run and at its time from the first frame (the first screen in the HTML too).
            let k = {
                let e = first.run.engine();
                crate::compare::commands_by(&e.tape, e.at)
            };
            match beside(&first) {
                Some(link) => {
                    let s = Rc::new(s).reduce(Action::Replace(link)).reduce(Action::Follow(first.run.clock, k));
                    (*s).clone()
                }
                None => s,
            }
        }
    });
    // Raft's dispatcher also does to Multi-Paxos what means the same there (not time: Multi-Paxos follows Raft's
    // clock), and Multi-Paxos's (its popover, its selection) does the same to Raft.
    let to_both = {
        let (r, p) = (raft.dispatcher(), paxos.dispatcher());
        (*use_memo((), move |_| {
            Callback::from(move |a: Action<Raft>| {
                if !matches!(a, Action::Frame { .. } | Action::Advance(_) | Action::SeekTime(_)) {
                    if let Some(pa) = a.shared::<Paxos>() {
                        p.dispatch(pa);
                    }
                }
                r.dispatch(a);
            })
        }))
        .clone()
    };
    let from_paxos = {
        let (r, p) = (raft.dispatcher(), paxos.dispatcher());
        (*use_memo((), move |_| {
            Callback::from(move |a: Action<Paxos>| {
                match a.shared::<Raft>() {
                    // Time is Raft's to lead; the rest is done to both.
                    Some(ra) if !matches!(ra, Action::Frame { .. } | Action::Advance(_) | Action::SeekTime(_)) => {
                        r.dispatch(ra);
                        p.dispatch(a);
                    }
                    Some(_) => {}
                    None => p.dispatch(a),
                }
            })
        }))
        .clone()
    };
    // The lessons, for Raft's scenarios.
    {
        let (d, fetching) = (raft.dispatcher(), use_mut_ref(|| false));
        let wanted = raft.view.pending.is_some() && raft.view.lessons.is_none();
        use_effect_with(wanted, move |&wanted| {
            if wanted && !*fetching.borrow() {
                *fetching.borrow_mut() = true;
                super::exercise::load(Callback::from(move |a| d.dispatch(a)));
            }
        });
    }
    // A new Raft run (a scenario, a link): Multi-Paxos's is made again beside it.
    {
        let p = paxos.dispatcher();
        let engine = raft.run.engine.0.clone();
        let first = (*raft).clone();
        use_effect_with(Rc::as_ptr(&engine) as usize, move |_| {
            if let Some(link) = beside(&first) {
                p.dispatch(Action::Replace(link));
            }
        });
    }
    // Multi-Paxos follows Raft's clock, and plays while it plays (its messages then drawn as moving ones).
    {
        let p = paxos.dispatcher();
        let (clock, playing) = (raft.run.clock, raft.run.playing);
        let k = {
            let e = raft.run.engine();
            crate::compare::commands_by(&e.tape, e.at)
        };
        let pp = paxos.run.playing;
        use_effect_with((clock.to_bits(), playing, raft.run.version, k), move |_| {
            if pp != playing {
                p.dispatch(if playing { Action::Play } else { Action::Pause });
            }
            p.dispatch(Action::Follow(clock, k));
        });
    }
    let on_frame = {
        let d = raft.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |dt_ms| d.dispatch(Action::Frame { dt_ms, max_steps: MAX_STEPS_PER_FRAME }))
        }))
        .clone()
    };
    use_frames(raft.run.playing, on_frame);
    if let Some(remote) = &props.remote {
        remote.connect(to_both.clone());
    }
    {
        let remote = props.remote.clone();
        let drawn = !matches!(raft.view.pending, Some(crate::state::Pending::Scenario(..)));
        use_effect_with(drawn, move |&drawn| {
            if let (true, Some(remote)) = (drawn, remote) {
                remote.drawn();
            }
        });
    }
    let (r, p): (AppState<Raft>, AppState<Paxos>) = ((*raft).clone(), (*paxos).clone());
    let o = &props.options;
    let diffs = differences(&p, &r);
    let now = r.run.clock as u64;
    html! {
        <div class={classes!("app", "compare", "theme-auto", o.embed.then_some("embedded"))} data-playing={r.run.playing.to_string()}>
            <header class="topbar">
                if o.embed {
                    <h2 class="compare-title">{"Multi-Paxos and Raft, side by side"}</h2>
                } else {
                    <h1>{"Multi-Paxos and Raft, side by side"}</h1>
                    <ScenarioPicker<Raft> state={r.clone()} dispatch={to_both.clone()} tour={false} />
                    <a class="protocol-switch" href="?">{"Paxos"}</a>
                    <a class="protocol-switch" href="?protocol=raft">{"Raft"}</a>
                }
            </header>
            // The page's main landmark; a mounted Compare is a figure in someone else's page, not its main content.
            <@{if props.remote.is_some() { "div" } else { "main" }} class="compare-main">
            if let Some(err) = r.run.error.clone().or_else(|| p.run.error.clone()) {
                <div class="refusal" role="alert">
                    <span>{ err }</span>
                    <button type="button" class="small" onclick={let d = to_both.clone(); Callback::from(move |_| d.emit(Action::DismissError))}>{"Dismiss"}</button>
                </div>
            }
            if !o.embed { <p class="hint compare-intro">{"The same cluster, the same requests, crashes, partitions and network, at the same simulated time: Multi-Paxos on the left, Raft on the right. What you do to a node, a link or the network is done to both; a message's fault only to its own side."}</p> }
            <Toolbar<Raft> state={r.clone()} dispatch={to_both.clone()} />
            <Timeline<Raft> state={r.clone()} dispatch={to_both.clone()} />
            <div class="compare-sides">
                <section class="compare-side" aria-label="Multi-Paxos">
                    <h2>{"Multi-Paxos"}</h2>
                    <SafetyBanner<Paxos> state={p.clone()} dispatch={from_paxos.clone()} />
                    <ClusterView<Paxos> state={p.clone()} dispatch={from_paxos.clone()} />
                </section>
                <section class="compare-side" aria-label="Raft">
                    <h2>{"Raft"}</h2>
                    <SafetyBanner<Raft> state={r.clone()} dispatch={to_both.clone()} />
                    <ClusterView<Raft> state={r.clone()} dispatch={to_both.clone()} />
                </section>
            </div>
            <section class="panel differences" aria-labelledby={format!("{}differences-title", props.ids)}>
                <h2 id={format!("{}differences-title", props.ids)}>{"Where they differ"}</h2>
                if diffs.is_empty() {
                    <p class="hint">{"Nothing yet: here they act alike. Crash the leader, cut a node off while requests go on, or open a scenario, and watch what each does."}</p>
                }
                <ol class="diff-list" aria-live="polite">
                    { for diffs.iter().rev().map(|d| html! {
                        <li class={classes!(d.class, (d.time + 40 >= now).then_some("fresh"))}>
                            <span class="diff-time">{ format!("t={}", d.time) }</span>{" "}{ &d.text }
                        </li>
                    }) }
                </ol>
            </section>
            <div class="compare-panels">
                if r.run.tour.is_some() { <Lesson<Raft> state={r.clone()} dispatch={to_both.clone()} figure={o.embed} can_exit={!o.embed} /> }
                if !o.embed || o.shows("propose") { <ProposePanel<Raft> state={r.clone()} dispatch={to_both.clone()} /> }
                if !o.embed || o.shows("network") { <NetworkPanel<Raft> state={r.clone()} dispatch={to_both.clone()} /> }
            </div>
            </@>
        </div>
    }
}
