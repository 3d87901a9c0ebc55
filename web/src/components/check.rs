//! "Check every future": could anything still go wrong from the moment shown? The search (the explorer of
//! `paxos check`, from this moment: `paxos_sim::explore::check_moment`) runs in the worker (`crate::worker`), so the
//! page stays responsive; this panel starts it, shows its progress, cancels it, and opens a counterexample as a fork
//! of the run. What the check found is the panel's own state: it is about a moment, not part of the run.

use yew::prelude::*;

use super::draw::Draw;

use super::StateProps;
use crate::state::Action;
use crate::worker::Checked;

/// What the panel shows: the worker's sentences (so the page's download carries few of its own).
#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    running: bool,
    /// Where the check is, or what it found.
    text: String,
    /// The checker's sentence for a broken rule.
    detail: String,
    class: &'static str,
    /// The link of the run a counterexample replaced, so a person can go back to it.
    back: Option<String>,
}

/// The panel.
#[component]
pub fn CheckPanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let shown = use_state(Shown::default);
    let worker = use_mut_ref(|| None::<web_sys::Worker>);
    let stop = {
        let worker = worker.clone();
        move || {
            if let Some(w) = worker.borrow_mut().take() {
                w.terminate();
            }
        }
    };
    {
        // A playground taken off the page ends its search.
        let stop = stop.clone();
        use_effect_with((), move |_| stop);
    }
    let on_click = {
        let (s, d, shown, worker) = (s.clone(), props.dispatch.clone(), shown.clone(), worker.clone());
        Callback::from(move |_| {
            stop();
            let back = shown.back.clone();
            if shown.running {
                // "Checking every future of moment k…" becomes "Cancelled: no violation in the futures of moment k
                // checked so far.", and the last progress line stays under it.
                let text = shown.text.replace("Checking every future of", "Cancelled: no violation in the futures of");
                let text = format!("{} checked so far.", text.trim_end_matches('…'));
                return shown.set(Shown { text, back, detail: shown.detail.clone(), ..Shown::default() });
            }
            let (link, moment) = (s.run.link(), s.run.engine().at);
            let text = format!("Checking every future of moment {moment}…");
            shown.set(Shown { running: true, text: text.clone(), back: back.clone(), ..Shown::default() });
            let on_progress = {
                let (shown, back) = (shown.clone(), back.clone());
                Callback::from(move |line| {
                    shown.set(Shown {
                        running: true,
                        text: text.clone(),
                        detail: line,
                        back: back.clone(),
                        ..Shown::default()
                    })
                })
            };
            let done = {
                let (shown, worker, d) = (shown.clone(), worker.clone(), d.clone());
                Callback::from(move |answer: Result<Checked, String>| {
                    worker.borrow_mut().take();
                    shown.set(match answer {
                        Ok(Checked { verdict, safe, broken: Some((detail, fork)) }) => {
                            d.emit(Action::OpenFork { from: link.clone(), fork });
                            let class = if safe { "check-safe" } else { "check-broken" };
                            Shown {
                                text: verdict,
                                detail,
                                class,
                                back: back.clone().or(Some(link.clone())),
                                running: false,
                            }
                        }
                        Ok(c) => Shown {
                            text: c.verdict,
                            class: if c.safe { "check-safe" } else { "" },
                            back: back.clone(),
                            ..Shown::default()
                        },
                        Err(e) => Shown {
                            text: format!("The check could not run: {e}"),
                            back: back.clone(),
                            ..Shown::default()
                        },
                    })
                })
            };
            *worker.borrow_mut() = crate::worker::check(s.run.link(), on_progress, done);
        })
    };
    let on_back = {
        let (d, shown) = (props.dispatch.clone(), shown.clone());
        Callback::from(move |_| {
            if let Some(link) = shown.back.clone() {
                d.emit(Action::OpenLink(link));
                shown.set(Shown::default());
            }
        })
    };
    let playing = s.run.playing && !shown.running;
    let text = match (shown.text.is_empty(), playing) {
        (true, true) => "Pause to check the moment shown.",
        (true, false) => IDLE,
        _ => &shown.text,
    };
    html! {
        <section class="panel check" aria-labelledby={s.view.id("check-title")}>
            <h2 id={s.view.id("check-title")}>{"Check every future"}</h2>
            <div class="row">
                <button type="button" id={s.view.id(if shown.running { "check-cancel" } else { "check-every-future" })}
                    onclick={on_click} disabled={playing}>{ if shown.running { "Cancel" } else { "Check every future" } }</button>
                <button type="button" class="small" id={s.view.id("check-back")} onclick={on_back}
                    hidden={shown.running || shown.back.is_none()}>{"Back to your run"}</button>
            </div>
            // A status, read out when the answer comes (not at each progress report: busy while the search runs).
            <p id={s.view.id("check-result")} class={if shown.text.is_empty() { "hint" } else { shown.class }} role="status"
                aria-busy={shown.running.to_string()}>{ text }</p>
            <p class="hint" id={s.view.id("check-detail")} hidden={shown.detail.is_empty()}>{ shown.detail.clone() }</p>
        </section>
    }
}

/// What the panel says before a first check.
const IDLE: &str = "Could anything still go wrong from here? This tries every future of the moment shown: every order in \
    which the messages in flight, and those they cause, arrive; each one lost or delivered twice; a crash and restart of \
    any one node. Clocks stop, so no node times out. It runs beside the page: keep using it meanwhile.";
