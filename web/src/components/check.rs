//! "Check every future": could anything still go wrong from the moment shown? The search (the explorer of
//! `paxos check`, from this moment: `paxos_sim::explore::check_moment`) runs in the worker (`crate::worker`), so the
//! page stays responsive; this panel starts it, shows its progress, cancels it, and opens a counterexample as a fork
//! of the run. What the check found is the panel's own state: it is about a moment, not part of the run.

use yew::prelude::*;

use super::StateProps;
use crate::state::Action;
use crate::worker::Checked;

/// Where a check is: the sentences are the worker's.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    /// The moment, and how far the search has got.
    Running(u64, String),
    Cancelled(u64, String),
    Done(Checked),
    Failed(String),
}

/// The panel.
#[component]
pub fn CheckPanel(props: &StateProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let status = use_state(|| Status::Idle);
    let worker = use_mut_ref(|| None::<web_sys::Worker>);
    // The link of the run a counterexample replaced, so a person can go back to it.
    let back = use_state(|| None::<String>);
    {
        // A playground taken off the page ends its search.
        let worker = worker.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(w) = worker.borrow_mut().take() {
                    w.terminate();
                }
            }
        });
    }
    let on_check = {
        let (s, d, status, worker, back) = (s.clone(), d.clone(), status.clone(), worker.clone(), back.clone());
        Callback::from(move |_| {
            let link = s.run.link();
            let moment = s.run.engine().at;
            status.set(Status::Running(moment, String::new()));
            let on_progress = {
                let status = status.clone();
                Callback::from(move |line| status.set(Status::Running(moment, line)))
            };
            let done = {
                let (status, worker, back, d, link) =
                    (status.clone(), worker.clone(), back.clone(), d.clone(), link.clone());
                Callback::from(move |answer: Result<Checked, String>| {
                    worker.borrow_mut().take();
                    match answer {
                        Ok(c) => {
                            if let Some((_, fork)) = &c.broken {
                                back.set(Some(link.clone()));
                                d.emit(Action::OpenLink(fork.clone()));
                            }
                            status.set(Status::Done(c));
                        }
                        Err(e) => status.set(Status::Failed(e)),
                    }
                })
            };
            if let Some(old) = worker.borrow_mut().take() {
                old.terminate();
            }
            *worker.borrow_mut() = crate::worker::check(link, on_progress, done);
        })
    };
    let on_cancel = {
        let (status, worker) = (status.clone(), worker.clone());
        Callback::from(move |_| {
            if let Some(w) = worker.borrow_mut().take() {
                w.terminate();
            }
            if let Status::Running(moment, line) = (*status).clone() {
                status.set(Status::Cancelled(moment, line));
            }
        })
    };
    let on_back = {
        let (d, back, status) = (d.clone(), back.clone(), status.clone());
        Callback::from(move |_| {
            if let Some(link) = (*back).clone() {
                d.emit(Action::OpenLink(link));
                back.set(None);
                status.set(Status::Idle);
            }
        })
    };
    let running = matches!(*status, Status::Running(..));
    // One paragraph says where the check is, one adds the detail: kept as plain text, so the panel costs the page's
    // download little (the worker writes the verdicts).
    let (text, detail, class) = match &*status {
        Status::Idle if s.run.playing => ("Pause to check the moment shown.".to_string(), "", ""),
        Status::Idle => (String::new(), IDLE, ""),
        Status::Running(moment, line) => (format!("Checking every future of moment {moment}… {line}"), "", ""),
        Status::Cancelled(moment, line) => {
            (format!("Cancelled at moment {moment}, with no violation found: {line}"), "", "")
        }
        Status::Done(c) => (
            c.verdict.clone(),
            c.broken.as_ref().map_or("", |(message, _)| message.as_str()),
            if c.safe {
                "check-safe"
            } else if c.broken.is_some() {
                "check-broken"
            } else {
                ""
            },
        ),
        Status::Failed(e) => (format!("The check could not run: {e}"), "", "check-failed"),
    };
    let (id, label, onclick) = if running {
        ("check-cancel", "Cancel", on_cancel)
    } else {
        ("check-every-future", "Check every future", on_check)
    };
    html! {
        <section class="panel check" aria-labelledby={s.view.id("check-title")}>
            <h2 id={s.view.id("check-title")}>{"Check every future"}</h2>
            <div class="row">
                <button type="button" id={s.view.id(id)} {onclick} disabled={!running && s.run.playing}>{ label }</button>
                <button type="button" class="small" id={s.view.id("check-back")} onclick={on_back} hidden={running || back.is_none()}>{"Back to your run"}</button>
            </div>
            // A status, read out when the answer comes (not at each progress report: busy while the search runs).
            <p id={s.view.id("check-result")} class={class} role="status" aria-busy={running.to_string()}>{ text }</p>
            <p class="hint">{ detail.to_string() }</p>
        </section>
    }
}

/// What the panel says before a first check.
const IDLE: &str = "Could anything still go wrong from here? This tries every future of the moment shown: every order in \
    which the messages in flight, and those they cause, arrive; each one lost or delivered twice; a crash and restart of \
    any one node. Clocks stop, so no node times out. It runs beside the page: keep using it meanwhile.";
