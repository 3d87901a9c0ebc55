//! Time travel: a slider over every moment of the run, Step back, Jump to the end, the fork marks, and marks for the
//! moments that matter (a value chosen, a rule broken, a crash, a restart), each a button that goes there.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::draw::Draw;

use super::{canvas, send, StateProps};
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
pub fn Timeline<P: Draw>(props: &StateProps<P>) -> Html {
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
    // The track's width, for placing the marks' buttons apart (a guess until it is measured).
    let room = Some(canvas::use_width(track.clone())).filter(|&w| w > 0.0).unwrap_or(600.0);
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
            <div class={classes!("track", (!marks.is_empty()).then_some("marked"))} ref={track} title={(at < len).then_some(rewound)}>
                <input type="range" id={s.view.id("timeline")} aria-label="Moment" min="0" max={len.to_string()}
                    value={at.to_string()} oninput={on_input}
                    aria-valuetext={format!("moment {at} of {len}")} />
                { for mark_groups(marks.iter().map(|&(m, kind)| (pct(m) * room / 100.0, m, kind)), room).into_iter().map(|(left, group)| html! {
                    // Marks whose buttons would overlap share one place, side by side, so each stays a target.
                    <span class="tl-marks" data-left={format!("{:.2}%", left * 100.0 / room)}>
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

/// The timeline's marks placed on a track `width` pixels wide, each on a button [`MARK_PX`] wide (a touch target):
/// a mark whose button would overlap the group before joins that group, side by side after it, so marks at the same
/// or nearby moments (a restart and the violation it causes) never cover each other and each stays its own target.
/// A group starts at its first mark (its button centred there) and is pulled back inside the track's right end.
/// Each group is its left edge in pixels and its marks, in order.
pub fn mark_groups<T>(marks: impl Iterator<Item = (f64, u64, T)>, width: f64) -> Vec<(f64, Vec<(u64, T)>)> {
    let mut groups: Vec<(f64, Vec<(u64, T)>)> = Vec::new();
    for (x, m, kind) in marks {
        match groups.last_mut() {
            Some((left, group)) if x - MARK_PX / 2.0 < *left + group.len() as f64 * MARK_PX => group.push((m, kind)),
            _ => groups.push((x - MARK_PX / 2.0, vec![(m, kind)])),
        }
    }
    // From the right: no group past the track's end (by more than half a button), none over the next.
    let mut limit = width + MARK_PX / 2.0;
    for (left, group) in groups.iter_mut().rev() {
        *left = left.min(limit - group.len() as f64 * MARK_PX);
        limit = *left;
    }
    groups
}

/// The width of a mark's button on the timeline, in CSS pixels: the least a finger can hit (WCAG's 24 × 24).
pub const MARK_PX: f64 = 24.0;

#[cfg(test)]
mod tests {
    use super::{mark_groups, MARK_PX};

    #[test]
    fn marks_close_together_share_a_place_and_each_keeps_a_whole_target() {
        let marks =
            [(100.0, 1, 'a'), (100.0, 1, 'b'), (476.0, 20, 'r'), (476.0, 20, 'v'), (500.0, 21, 'c'), (900.0, 40, 'x')];
        let groups = mark_groups(marks.into_iter(), 1000.0);
        let places: Vec<(f64, String)> =
            groups.iter().map(|(at, g)| (*at, g.iter().map(|(_, k)| *k).collect())).collect();
        assert_eq!(places, vec![(88.0, "ab".into()), (464.0, "rvc".into()), (888.0, "x".into())]);
        // A button's width apart: apart; closer: together.
        assert_eq!(mark_groups([(0.0, 0, ()), (24.0, 1, ()), (48.0, 2, ())].into_iter(), 1000.0).len(), 3);
        assert_eq!(mark_groups([(0.0, 0, ()), (23.0, 1, ())].into_iter(), 1000.0).len(), 1);
        // No two buttons overlap, and none runs past the track's end, however crowded.
        let crowded: Vec<(f64, u64, ())> = (0u32..40).map(|i| (f64::from(i) * 9.0 + 40.0, u64::from(i), ())).collect();
        let groups = mark_groups(crowded.into_iter(), 300.0);
        let mut right = f64::NEG_INFINITY;
        for (left, g) in &groups {
            assert!(*left >= right - 1e-9, "{left} < {right}");
            right = left + g.len() as f64 * MARK_PX;
        }
        assert!(right <= 300.0 + MARK_PX / 2.0);
        assert_eq!(groups.iter().map(|g| g.1.len()).sum::<usize>(), 40);
    }
}
