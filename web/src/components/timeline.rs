//! Time travel: a slider over every moment of the run, Step back, Jump to the end, the fork marks, and marks for the
//! moments that matter (a value chosen, a rule broken, a crash, a restart), each a button that goes there.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{send, StateProps};
use crate::engine::Mark;
use crate::state::Action;

/// The glyph of a mark: the same as the space-time diagram's.
fn mark_glyph(kind: Mark) -> &'static str {
    match kind {
        Mark::Chosen => "★",
        Mark::Violation => "⚠",
        Mark::Crash => "✕",
        Mark::Restart => "↻",
    }
}

fn capital(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// The timeline under the toolbar.
#[component]
pub fn Timeline(props: &StateProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let (at, len, forks, marks) = {
        let e = s.run.engine();
        (e.at, e.tape.len(), e.forks.clone(), e.marks.clone())
    };
    let on_input = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(m) = v.parse::<u64>() {
                d.emit(Action::Seek(m));
            }
        })
    };
    let rewound = if s.run.tour.is_some() {
        "The scenario is recorded ahead: Next plays its next stage; any other action forks it here."
    } else {
        "Rewound: Play or Step replays this run; any other action forks it here."
    };
    let pct = |m: u64| if len == 0 { 0.0 } else { m as f64 * 100.0 / len as f64 };
    // The marks are placed through the CSS object model, not a `style` attribute, which a strict
    // Content-Security-Policy (no 'unsafe-inline') refuses.
    let track = use_node_ref();
    {
        let track = track.clone();
        use_effect(move || {
            let Some(t) = track.cast::<web_sys::Element>() else { return };
            let Ok(marks) = t.query_selector_all("[data-left]") else { return };
            for i in 0..marks.length() {
                if let Some(m) = marks.get(i).and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let left = m.get_attribute("data-left").unwrap_or_default();
                    let _ = m.style().set_property("left", &left);
                }
            }
        });
    }
    html! {
        <div class="timeline" role="group" aria-label="Timeline">
            <button type="button" id={s.view.id("step-back")} onclick={send(d, Action::StepBack)} disabled={at == 0}
                title="Step back (←)" aria-label="Step back">{"◀"}<span class="words-label">{" Step back"}</span></button>
            <div class="track" ref={track} title={(at < len).then_some(rewound)}>
                <input type="range" id={s.view.id("timeline")} aria-label="Moment" min="0" max={len.to_string()}
                    value={at.to_string()} oninput={on_input}
                    aria-valuetext={format!("moment {at} of {len}")} />
                { for mark_groups(marks.iter().map(|&(m, kind)| (pct(m), m, kind))).into_iter().map(|(at, group)| html! {
                    // Marks closer than MARK_GAP share one place, side by side, so each stays clickable.
                    <span class="tl-marks" data-left={format!("{at:.2}%")}>
                        { for group.into_iter().map(|(m, kind)| {
                            let label = format!("{} at moment {m}", capital(kind.name()));
                            html! {
                                <button type="button" class={classes!("tl-mark", kind.name())}
                                    title={label.clone()} aria-label={label} onclick={send(d, Action::Seek(m))}>
                                    { mark_glyph(kind) }</button>
                            }
                        }) }
                    </span>
                }) }
                { for forks.iter().map(|&f| html! {
                    <span class="fork-mark" data-left={format!("{:.2}%", pct(f))}
                        title={format!("Forked at moment {f}: the run was changed here and its old future discarded")}>{"⑂"}</span>
                }) }
            </div>
            <span class="moment" aria-live="off"
                title="A moment is one step of the run: a message delivered or dropped, a timer, or one of your actions">{ format!("moment {at} / {len}") }</span>
            if at < len {
                <button type="button" id={s.view.id("jump-end")} class="jump-end" onclick={send(d, Action::Seek(len))}
                    aria-label="Jump to end" title="Jump to end"><span class="words-label">{"Jump to end "}</span>{"▶▶"}</button>
                <span class="hint rewound">{ rewound }</span>
            }
        </div>
    }
}

/// The timeline's marks in groups: a mark less than [`MARK_GAP`] % of the track after the group's first joins that
/// group, so marks at the same or nearby moments (a restart and the violation it causes) sit side by side at one
/// place instead of covering each other. Each group is its position and its marks, in order.
pub fn mark_groups<T>(marks: impl Iterator<Item = (f64, u64, T)>) -> Vec<(f64, Vec<(u64, T)>)> {
    let mut groups: Vec<(f64, Vec<(u64, T)>)> = Vec::new();
    for (at, m, kind) in marks {
        match groups.last_mut() {
            Some((first, group)) if at - *first < MARK_GAP => group.push((m, kind)),
            _ => groups.push((at, vec![(m, kind)])),
        }
    }
    groups
}

/// The least distance between two places of marks on the timeline, in percent of its width.
pub const MARK_GAP: f64 = 2.5;

#[cfg(test)]
mod tests {
    use super::mark_groups;

    #[test]
    fn marks_close_together_share_a_place() {
        let marks =
            [(10.0, 1, 'a'), (10.0, 1, 'b'), (47.6, 20, 'r'), (47.6, 20, 'v'), (50.0, 21, 'c'), (90.0, 40, 'x')];
        let groups = mark_groups(marks.into_iter());
        let places: Vec<(f64, String)> =
            groups.into_iter().map(|(at, g)| (at, g.into_iter().map(|(_, k)| k).collect())).collect();
        assert_eq!(places, vec![(10.0, "ab".into()), (47.6, "rvc".into()), (90.0, "x".into())]);
        assert_eq!(mark_groups([(0.0, 0, ()), (2.5, 1, ()), (5.0, 2, ())].into_iter()).len(), 3, "2.5 % apart: apart");
    }
}
