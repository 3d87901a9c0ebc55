//! Layout geometry for the cluster view: where nodes sit, where a message is on its link, and what each message kind
//! looks like. Plain Rust with no web dependency, so it is tested natively.

use paxos_core::MsgKind;

use crate::protocol::Look;

/// The SVG view box is `SIZE` × `SIZE` user units.
pub const SIZE: f64 = 640.0;
/// The centre of the view.
pub const CENTRE: Pt = Pt { x: SIZE / 2.0, y: SIZE / 2.0 };
/// Distance between the two one-way lanes of a link (each lane is drawn half of it off the centre line).
pub const LANE: f64 = 10.0;
/// Radius of a message's invisible click target: big enough to hit with a finger or a shaky mouse.
pub const HIT_RADIUS: f64 = 15.0;

/// A value-carrying message's value dot, relative to the centre of its marker (drawn with radius 8): x, y and
/// radius. It rides on the marker's upper right, so the marker keeps its kind's shape and colour.
pub const VALUE_DOT: (f64, f64, f64) = (7.5, -7.5, 5.5);

/// Sine, cosine and the length of a vector. In the browser, sine and cosine are the browser's own (`Math`): Rust's
/// (libm, compiled into the bundle with its range-reduction tables) cost 14 KB of wasm. Drawing needs no more than
/// what either gives.
pub mod math {
    /// Sine of `x` radians.
    pub fn sin(x: f64) -> f64 {
        #[cfg(target_arch = "wasm32")]
        return js_sys::Math::sin(x);
        #[cfg(not(target_arch = "wasm32"))]
        return x.sin();
    }

    /// Cosine of `x` radians.
    pub fn cos(x: f64) -> f64 {
        #[cfg(target_arch = "wasm32")]
        return js_sys::Math::cos(x);
        #[cfg(not(target_arch = "wasm32"))]
        return x.cos();
    }

    /// The length of (x, y): `sqrt` is one wasm instruction, while `f64::hypot` is libm code; the drawing's numbers
    /// are far from overflow.
    pub fn hypot(x: f64, y: f64) -> f64 {
        (x * x + y * y).sqrt()
    }
}

/// A point in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    /// Horizontal, growing rightwards.
    pub x: f64,
    /// Vertical, growing downwards.
    pub y: f64,
}

impl Pt {
    /// The point `t` of the way from `self` to `other`.
    pub fn lerp(self, other: Pt, t: f64) -> Pt {
        Pt { x: self.x + (other.x - self.x) * t, y: self.y + (other.y - self.y) * t }
    }

    /// Distance to another point.
    pub fn dist(self, other: Pt) -> f64 {
        math::hypot(self.x - other.x, self.y - other.y)
    }
}

/// Radius of the circle the nodes sit on.
pub fn ring_radius(n: usize) -> f64 {
    if n <= 5 {
        190.0
    } else {
        215.0
    }
}

/// Radius of one node's disc: smaller discs for bigger clusters so neighbours never touch.
pub fn node_radius(n: usize) -> f64 {
    match n {
        0..=5 => 34.0,
        6..=7 => 30.0,
        _ => 26.0,
    }
}

/// Where node `i` of `n` sits: evenly spaced on a circle, node 0 at the top, then clockwise.
pub fn node_position(i: usize, n: usize) -> Pt {
    let angle = node_angle(i, n);
    let r = ring_radius(n);
    Pt { x: CENTRE.x + r * math::cos(angle), y: CENTRE.y + r * math::sin(angle) }
}

/// The angle of node `i` of `n`, in radians, measured clockwise from the positive x axis (SVG's y points down).
pub fn node_angle(i: usize, n: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n.max(1) as f64
}

/// Where the text describing node `i` goes: further out along the same ray, with the SVG `text-anchor` that keeps it
/// clear of the disc.
pub fn label_position(i: usize, n: usize) -> (Pt, &'static str) {
    let angle = node_angle(i, n);
    let r = ring_radius(n) + node_radius(n) + 14.0;
    let p = Pt { x: CENTRE.x + r * math::cos(angle), y: CENTRE.y + r * math::sin(angle) };
    let c = math::cos(angle);
    let anchor = if c > 0.3 {
        "start"
    } else if c < -0.3 {
        "end"
    } else {
        "middle"
    };
    (p, anchor)
}

/// Where a popover of `size` (width, height) goes for a node at `anchor` (centre x, centre y, radius), all in CSS
/// pixels of a drawing `room` (width, height): its top left corner. Beside the node, on the right or else on the
/// left, centred on it; where neither side has room (a narrow drawing, a phone), under a node in the upper half and
/// over one in the lower half (or the other way when that does not fit). It stays inside the drawing (which clips
/// what leaves it), covering the node only when the drawing is too small for anything else.
pub fn popover_place(anchor: (f64, f64, f64), size: (f64, f64), room: (f64, f64)) -> (f64, f64) {
    const GAP: f64 = 8.0;
    const EDGE: f64 = 4.0;
    let ((x, y, r), (w, h), (rw, rh)) = (anchor, size, room);
    let fit_top = |t: f64| t.min(rh - EDGE - h).max(EDGE);
    if x + r + GAP + w <= rw - EDGE {
        return (x + r + GAP, fit_top(y - h / 2.0));
    }
    if x - r - GAP - w >= EDGE {
        return (x - r - GAP - w, fit_top(y - h / 2.0));
    }
    let left = (x - w / 2.0).min(rw - EDGE - w).max(EDGE);
    let (below, above) = (y + r + GAP, y - r - GAP - h);
    let (below_fits, above_fits) = (below + h <= rh - EDGE, above >= EDGE);
    let top = match (y > rh / 2.0, below_fits, above_fits) {
        (true, _, true) | (false, false, true) => above,
        (_, true, _) => below,
        (lower, false, false) => fit_top(if lower { above } else { below }),
    };
    (left, top)
}

/// The colours of values: Paul Tol's "bright" scheme, told apart with the common colour-vision deficiencies, and
/// apart from the Okabe–Ito colours of the message kinds. A value keeps one colour everywhere it appears.
pub const VALUE_COLOURS: [&str; 6] = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377"];

/// The colour of a no-op (a Multi-Paxos leader's gap filler): grey, since it carries no value.
pub const NOOP_COLOUR: &str = "#9a9a9a";

/// The names of [`VALUE_COLOURS`], in its order: a value that is one of them (any case) is drawn in that colour.
pub const COLOUR_NAMES: [&str; 6] = ["blue", "red", "green", "yellow", "cyan", "purple"];

/// The colour a value names, if it is one of [`COLOUR_NAMES`]: a student who proposes "green" sees green.
pub fn named_colour(v: &paxos_core::Value) -> Option<&'static str> {
    let paxos_core::Value::Text(t) = v else { return None };
    COLOUR_NAMES.iter().position(|n| n.eq_ignore_ascii_case(t)).map(|i| VALUE_COLOURS[i])
}

/// The colour of value `v` in a run whose proposals, in order, are `proposed`. A value that names a colour of the
/// palette ("red") has it; the others take the colours no such value took, the first value proposed the first of
/// them, the second the second, and so on, so two values in a lesson never share one. A value no command proposed
/// (a transaction id requested by the client) gets one from its text. No allocation: messages are coloured every
/// frame.
pub fn value_colour(proposed: &[paxos_core::Value], v: &paxos_core::Value) -> &'static str {
    if *v == paxos_core::Value::Noop {
        return NOOP_COLOUR;
    }
    if let Some(c) = named_colour(v) {
        return c;
    }
    // The palette less the colours named by proposed values (all of it if every colour is named).
    let taken = |c: &&str| proposed.iter().any(|p| named_colour(p) == Some(*c));
    let free = VALUE_COLOURS.iter().filter(|c| !taken(c)).count();
    let pick = |i: usize| match free {
        0 => VALUE_COLOURS[i % VALUE_COLOURS.len()],
        n => VALUE_COLOURS.iter().filter(|c| !taken(c)).nth(i % n).copied().unwrap_or(VALUE_COLOURS[0]),
    };
    let mut distinct = 0;
    for (i, p) in proposed.iter().enumerate() {
        if named_colour(p).is_some() || proposed[..i].contains(p) {
            continue;
        }
        if p == v {
            return pick(distinct);
        }
        distinct += 1;
    }
    // FNV-1a of the value's text, written straight into the hash: messages are coloured every frame, and a string
    // per message would be garbage per frame.
    struct Fnv(u32);
    impl std::fmt::Write for Fnv {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 = s.bytes().fold(self.0, |h, b| (h ^ b as u32).wrapping_mul(16777619));
            Ok(())
        }
    }
    let mut h = Fnv(2166136261);
    let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{v}"));
    pick(h.0 as usize)
}

/// The value a Paxos message carries, which it is drawn with in that value's colour ([`Look::carried_value`]).
pub fn carried_value(msg: &paxos_core::Msg) -> Option<&paxos_core::Value> {
    <paxos_sim::Paxos as Look>::carried_value(msg)
}

/// The values a run's commands propose, in order: what [`value_colour`] numbers.
pub fn proposed_values<P: paxos_sim::Protocol>(tape: &paxos_sim::Tape<P>) -> Vec<paxos_core::Value> {
    tape.commands()
        .iter()
        .filter_map(|c| match c {
            paxos_sim::Command::Propose { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// Whether text on `colour` should be dark (on the light colours of [`VALUE_COLOURS`]) rather than white.
pub fn dark_text_on(colour: &str) -> bool {
    matches!(colour, "#CCBB44" | "#66CCEE" | "#9a9a9a")
}

/// The SVG `viewBox` for `n` nodes: wide enough for the text beside the nodes, and only as tall as the nodes and
/// their text need (a triangle of three nodes leaves the bottom of the circle empty).
pub fn view_box(n: usize, compact: bool) -> String {
    let (x, y, w, h) = view_rect(n, compact);
    format!("{x:.0} {y:.0} {w:.0} {h:.0}")
}

/// The drawing is narrower than this many CSS pixels (a phone, a narrow column): it is drawn [compact](view_rect).
pub const COMPACT_BELOW: f64 = 560.0;

/// The viewBox of [`view_box`] as numbers: x, y, width, height (rounded as the string rounds them). `compact`
/// leaves out the room for the text beside the nodes, which is then not drawn: in a narrow box that text would be
/// too small to read, and the nodes, links and messages get the whole width instead (a node's state is in its
/// name and in the selection panel).
pub fn view_rect(n: usize, compact: bool) -> (f64, f64, f64, f64) {
    let r = node_radius(n);
    if compact {
        // Room for the outermost ring (the selection ring, r + 17) and the leader's crown above a node.
        let m = r + 22.0;
        let (xs, ys): (Vec<f64>, Vec<f64>) = (0..n).map(|i| node_position(i, n)).map(|p| (p.x, p.y)).unzip();
        let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let (x, y) = ((min(&xs) - m).round(), (min(&ys) - m).round());
        return (x, y, (max(&xs) + m - x).round(), (max(&ys) + m - y).round());
    }
    let ys = (0..n).map(|i| node_position(i, n).y);
    let top = (ys.clone().fold(f64::INFINITY, f64::min) - r - 100.0).round();
    let bottom = ys.fold(f64::NEG_INFINITY, f64::max) + r + 80.0;
    (-120.0, top, 880.0, (bottom - top).round())
}

/// How far a leader's crown rises above its disc (see `render_crown`): text above the node goes up by as much.
pub const CROWN_HEIGHT: f64 = 19.0;

/// The y coordinate of the first of `lines` text lines beside node `i` of `n`, `line_height` apart: above a node in
/// the top part of the ring, below one in the bottom part, centred beside one on the sides. Text right above a
/// node wearing the leader's `crown` sits above the crown.
pub fn label_top(i: usize, n: usize, lines: usize, line_height: f64, crown: bool) -> f64 {
    let (p, anchor) = label_position(i, n);
    let s = math::sin(node_angle(i, n));
    let block = line_height * lines.saturating_sub(1) as f64;
    if s < -0.5 {
        p.y - block - if crown && anchor == "middle" { CROWN_HEIGHT } else { 0.0 }
    } else if s > 0.5 {
        p.y + line_height * 0.6
    } else {
        p.y - block / 2.0 + line_height * 0.3
    }
}

/// The lane a message from `from` to `to` travels on: the centre line shifted `LANE / 2` to the right of the
/// direction of travel (so the two directions of a link never overlap), trimmed to the discs' edges.
pub fn lane(from: Pt, to: Pt, node_r: f64) -> (Pt, Pt) {
    let d = from.dist(to);
    if d < 1e-9 {
        return (from, to);
    }
    let (ux, uy) = ((to.x - from.x) / d, (to.y - from.y) / d);
    // The right-hand normal of (ux, uy) on a screen whose y axis points down.
    let (nx, ny) = (-uy, ux);
    let off = LANE / 2.0;
    let trim = node_r.min(d / 2.0 - 1.0).max(0.0);
    let a = Pt { x: from.x + ux * trim + nx * off, y: from.y + uy * trim + ny * off };
    let b = Pt { x: to.x - ux * trim + nx * off, y: to.y - uy * trim + ny * off };
    (a, b)
}

/// How far along its lane a message is at simulated time `now`: 0 when sent, 1 when due, clamped to that range.
/// A message due no later than it was sent is drawn at its destination.
pub fn progress(now: f64, sent_at: u64, due: u64) -> f64 {
    if due <= sent_at {
        return 1.0;
    }
    ((now - sent_at as f64) / (due - sent_at) as f64).clamp(0.0, 1.0)
}

/// Where a message is drawn: on its lane for a message between two nodes; on a small orbit around the node for a
/// message a node sends itself (a proposer that is also an acceptor).
pub fn message_position(from: usize, to: usize, n: usize, t: f64) -> Pt {
    let r = node_radius(n);
    if from == to {
        let c = node_position(from, n);
        let a = node_angle(from, n) - std::f64::consts::FRAC_PI_2 + t * std::f64::consts::PI;
        return Pt { x: c.x + (r + 9.0) * math::cos(a), y: c.y + (r + 9.0) * math::sin(a) };
    }
    let (a, b) = lane(node_position(from, n), node_position(to, n), r);
    a.lerp(b, t)
}

/// The shape of a message marker. Every kind gets its own shape as well as its own colour, so the view can be read
/// without telling colours apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A disc.
    Circle,
    /// A square.
    Square,
    /// A diamond (a square on its corner).
    Diamond,
    /// A triangle pointing up.
    Triangle,
    /// A triangle pointing down.
    TriangleDown,
    /// A cross (×).
    Cross,
    /// A five-pointed star.
    Star,
    /// A hollow ring.
    Ring,
    /// A hexagon.
    Hexagon,
}

/// How one message kind is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindStyle {
    /// Fill colour, from the Okabe–Ito palette (safe for the common colour-vision deficiencies).
    pub colour: &'static str,
    /// Marker shape.
    pub shape: Shape,
    /// What the legend says.
    pub meaning: &'static str,
}

/// The style of a message kind.
pub fn kind_style(kind: MsgKind) -> KindStyle {
    let (colour, shape, meaning) = match kind {
        MsgKind::Prepare => ("#0072B2", Shape::Circle, "phase 1a: please promise"),
        MsgKind::Promise => ("#56B4E9", Shape::Square, "phase 1b: promised (+ accepted so far)"),
        MsgKind::Accept => ("#E69F00", Shape::Diamond, "phase 2a: please accept"),
        MsgKind::Accepted => ("#009E73", Shape::Triangle, "phase 2b: accepted"),
        MsgKind::Reject => ("#D55E00", Shape::Cross, "rejected: promised higher"),
        MsgKind::Decided => ("#CC79A7", Shape::Star, "chosen value, for a learner"),
        MsgKind::Heartbeat => ("#999999", Shape::Ring, "leader is alive"),
        MsgKind::CatchUp => ("#F0E442", Shape::Hexagon, "learner asks to catch up"),
        MsgKind::Propose => ("#000000", Shape::TriangleDown, "client value forwarded to leader"),
    };
    KindStyle { colour, shape, meaning }
}

fn polygon(cx: f64, cy: f64, pts: impl IntoIterator<Item = (f64, f64)>) -> String {
    let mut d = String::new();
    for (i, (x, y)) in pts.into_iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&format!("{:.1},{:.1}", cx + x, cy + y));
    }
    d.push('Z');
    d
}

fn regular(cx: f64, cy: f64, r: f64, sides: usize, start: f64) -> String {
    polygon(
        cx,
        cy,
        (0..sides).map(|k| {
            let a = start + std::f64::consts::TAU * k as f64 / sides as f64;
            (r * math::cos(a), r * math::sin(a))
        }),
    )
}

/// The SVG path (`d` attribute) of a marker of radius about `r` centred on `(cx, cy)`.
pub fn shape_path(shape: Shape, cx: f64, cy: f64, r: f64) -> String {
    use std::f64::consts::{FRAC_PI_2, PI};
    match shape {
        // Two arcs make a closed circle as a path, so every shape is one <path>.
        Shape::Circle | Shape::Ring => format!(
            "M{:.1},{:.1}a{r:.1},{r:.1} 0 1,0 {:.1},0a{r:.1},{r:.1} 0 1,0 {:.1},0Z",
            cx - r,
            cy,
            2.0 * r,
            -2.0 * r
        ),
        Shape::Square => {
            let s = r * 0.85;
            polygon(cx, cy, [(-s, -s), (s, -s), (s, s), (-s, s)])
        }
        Shape::Diamond => regular(cx, cy, r * 1.15, 4, -FRAC_PI_2),
        Shape::Triangle => regular(cx, cy, r * 1.2, 3, -FRAC_PI_2),
        Shape::TriangleDown => regular(cx, cy, r * 1.2, 3, FRAC_PI_2),
        Shape::Hexagon => regular(cx, cy, r * 1.05, 6, 0.0),
        Shape::Star => polygon(
            cx,
            cy,
            (0..10).map(|k| {
                let a = -FRAC_PI_2 + PI * k as f64 / 5.0;
                let rr = if k % 2 == 0 { r * 1.3 } else { r * 0.55 };
                (rr * math::cos(a), rr * math::sin(a))
            }),
        ),
        Shape::Cross => {
            let (a, b) = (r, r * 0.35);
            polygon(
                cx,
                cy,
                [
                    (-a, -a + b),
                    (-a + b, -a),
                    (0.0, -b),
                    (a - b, -a),
                    (a, -a + b),
                    (b, 0.0),
                    (a, a - b),
                    (a - b, a),
                    (0.0, b),
                    (-a + b, a),
                    (-a, a - b),
                    (-b, 0.0),
                ],
            )
        }
    }
}

/// Shortens text for a label inside the drawing; the full text is in the accessible name and the inspector.
pub fn abbreviate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Pt, b: Pt) -> bool {
        a.dist(b) < 1e-6
    }

    #[test]
    fn nodes_sit_on_the_ring_evenly_from_the_top_clockwise() {
        for n in 3..=9 {
            let r = ring_radius(n);
            let ps: Vec<Pt> = (0..n).map(|i| node_position(i, n)).collect();
            for p in &ps {
                assert!((p.dist(CENTRE) - r).abs() < 1e-6);
            }
            // Node 0 is straight above the centre.
            assert!(close(ps[0], Pt { x: CENTRE.x, y: CENTRE.y - r }));
            // Neighbours are equally far apart and their discs never touch.
            let gap = ps[0].dist(ps[1]);
            for i in 0..n {
                assert!((ps[i].dist(ps[(i + 1) % n]) - gap).abs() < 1e-6);
            }
            assert!(gap > 2.0 * node_radius(n) + 20.0, "n={n}: gap {gap}");
        }
        // Clockwise on screen: node 1 of 4 is to the right of the centre.
        assert!(node_position(1, 4).x > CENTRE.x);
    }

    #[test]
    fn everything_fits_in_the_view() {
        for n in 3..=9 {
            for i in 0..n {
                let p = node_position(i, n);
                let r = node_radius(n);
                assert!(p.x - r >= 0.0 && p.x + r <= SIZE && p.y - r >= 0.0 && p.y + r <= SIZE);
            }
        }
    }

    #[test]
    fn progress_follows_simulated_time_and_clamps() {
        assert_eq!(progress(10.0, 10, 30), 0.0);
        assert_eq!(progress(20.0, 10, 30), 0.5);
        assert_eq!(progress(30.0, 10, 30), 1.0);
        assert_eq!(progress(99.0, 10, 30), 1.0);
        assert_eq!(progress(0.0, 10, 30), 0.0);
        assert_eq!(progress(5.0, 10, 10), 1.0);
    }

    #[test]
    fn the_two_directions_of_a_link_use_different_lanes() {
        let (a, b) = (node_position(0, 3), node_position(1, 3));
        let r = node_radius(3);
        let (s1, e1) = lane(a, b, r);
        let (s2, e2) = lane(b, a, r);
        // Lanes are parallel, LANE apart, and trimmed to the discs.
        assert!((s1.dist(e2) - LANE).abs() < 1e-6);
        assert!((e1.dist(s2) - LANE).abs() < 1e-6);
        assert!((s1.dist(a) - r.hypot(LANE / 2.0)).abs() < 1e-6);
        // A message halfway is halfway along its own lane.
        let mid = message_position(0, 1, 3, 0.5);
        assert!(close(mid, s1.lerp(e1, 0.5)));
        assert!(!close(mid, message_position(1, 0, 3, 0.5)));
    }

    #[test]
    fn a_message_to_oneself_orbits_its_node() {
        let c = node_position(2, 5);
        for t in [0.0, 0.5, 1.0] {
            let p = message_position(2, 2, 5, t);
            assert!((p.dist(c) - (node_radius(5) + 9.0)).abs() < 1e-6);
        }
    }

    #[test]
    fn every_kind_has_its_own_colour_and_shape() {
        let styles: Vec<KindStyle> = MsgKind::ALL.iter().map(|&k| kind_style(k)).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.colour, b.colour);
                assert_ne!(a.shape, b.shape);
            }
        }
    }

    #[test]
    fn shapes_are_closed_paths_near_their_centre() {
        for &k in &MsgKind::ALL {
            let d = shape_path(kind_style(k).shape, 100.0, 50.0, 6.0);
            assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        }
        assert_eq!(shape_path(Shape::Square, 0.0, 0.0, 10.0), "M-8.5,-8.5L8.5,-8.5L8.5,8.5L-8.5,8.5Z");
    }

    #[test]
    fn the_view_box_fits_the_nodes_and_their_text() {
        for n in 3..=9 {
            let v: Vec<f64> = view_box(n, false).split(' ').map(|x| x.parse().unwrap()).collect();
            for i in 0..n {
                let p = node_position(i, n);
                assert!(p.y - node_radius(n) - 60.0 > v[1] && p.y + node_radius(n) + 60.0 < v[1] + v[3], "n={n}");
            }
        }
        // Three nodes make a triangle pointing up: less height is needed than for four.
        let h = |n| view_box(n, false).split(' ').nth(3).unwrap().parse::<f64>().unwrap();
        assert!(h(3) < h(4));
    }

    #[test]
    fn the_compact_view_box_fits_the_nodes_and_their_rings_only() {
        for n in 3..=9 {
            let (x, y, w, h) = view_rect(n, true);
            let (_, _, full_w, _) = view_rect(n, false);
            let reach = node_radius(n) + 17.0;
            for i in 0..n {
                let p = node_position(i, n);
                assert!(p.x - reach >= x && p.x + reach <= x + w, "n={n} node {i}");
                assert!(p.y - reach >= y && p.y + reach <= y + h, "n={n} node {i}");
            }
            // The nodes get a larger share of a narrow box than with room for text beside them.
            assert!(w < full_w * 0.8, "n={n}: {w} of {full_w}");
        }
    }

    #[test]
    fn labels_sit_outside_the_disc_and_anchor_away_from_it() {
        assert_eq!(label_position(0, 4).1, "middle");
        assert_eq!(label_position(1, 4).1, "start");
        assert_eq!(label_position(3, 4).1, "end");
        // Above the top node the block ends above it; below a bottom node it starts below it.
        let top = node_position(0, 4);
        assert!(label_top(0, 4, 3, 15.0, false) + 2.0 * 15.0 < top.y - node_radius(4));
        let bottom = node_position(2, 4);
        assert!(label_top(2, 4, 3, 15.0, false) > bottom.y + node_radius(4));
        // A leader's crown sits on its disc, under the text: the last line's baseline clears the crown's top.
        for n in 3..=9 {
            let top = node_position(0, n);
            let last = label_top(0, n, 3, 16.0, true) + 2.0 * 16.0;
            assert!(last < top.y - node_radius(n) - CROWN_HEIGHT - 2.0 - 3.0, "n={n}: {last}");
            // And the whole block (four lines of 14.5-px text) stays inside the drawing.
            let (_, y, _, _) = view_rect(n, false);
            assert!(label_top(0, n, 4, 16.0, true) - 12.0 >= y, "n={n}");
        }
    }

    #[test]
    fn abbreviations_keep_short_text_and_mark_cuts() {
        assert_eq!(abbreviate("hello", 8), "hello");
        assert_eq!(abbreviate("hello world", 8), "hello w…");
        assert_eq!(abbreviate("ééééééééé", 4), "ééé…");
    }

    #[test]
    fn values_get_colours_in_the_order_they_were_proposed() {
        use paxos_core::Value;
        let t = |s: &str| Value::Text(s.into());
        let proposed = [t("hello"), t("world"), t("hello"), t("v3")];
        assert_eq!(value_colour(&proposed, &t("hello")), VALUE_COLOURS[0]);
        assert_eq!(value_colour(&proposed, &t("world")), VALUE_COLOURS[1]);
        assert_eq!(value_colour(&proposed, &t("v3")), VALUE_COLOURS[2]);
        assert_eq!(value_colour(&proposed, &Value::Noop), NOOP_COLOUR);
        let other = value_colour(&proposed, &t("txn"));
        assert!(VALUE_COLOURS.contains(&other) && other == value_colour(&[], &t("txn")));
        // The colour of a value no command proposed comes from its text, as FNV-1a of the string it prints as.
        let txn = Value::Txn { client: 7, req: 3 };
        let h = txn.to_string().bytes().fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
        assert_eq!(value_colour(&[], &txn), VALUE_COLOURS[h as usize % VALUE_COLOURS.len()]);
    }

    #[test]
    fn a_value_that_names_a_colour_has_it_and_the_others_take_the_rest() {
        use paxos_core::Value;
        let t = |s: &str| Value::Text(s.into());
        // "Green" is drawn green, "RED" red, whatever their order; "hello" takes the first colour nobody named.
        let proposed = [t("Green"), t("hello"), t("RED"), t("world")];
        assert_eq!(value_colour(&proposed, &t("Green")), VALUE_COLOURS[2]);
        assert_eq!(value_colour(&proposed, &t("RED")), VALUE_COLOURS[1]);
        assert_eq!(value_colour(&proposed, &t("hello")), VALUE_COLOURS[0]);
        assert_eq!(value_colour(&proposed, &t("world")), VALUE_COLOURS[3], "blue is free, red and green are named");
        for (i, name) in COLOUR_NAMES.iter().enumerate() {
            assert_eq!(named_colour(&t(name)), Some(VALUE_COLOURS[i]));
        }
        assert_eq!(named_colour(&t("greenish")), None);
        // Every colour named: the others share the palette rather than have none.
        let all: Vec<Value> = COLOUR_NAMES.iter().map(|n| t(n)).chain([t("x")]).collect();
        assert!(VALUE_COLOURS.contains(&value_colour(&all, &t("x"))));
    }

    #[test]
    fn a_popover_sits_beside_its_node_or_under_it_and_never_leaves_the_drawing() {
        let covers = |(l, t): (f64, f64), (w, h): (f64, f64), (x, y, r): (f64, f64, f64)| {
            l < x + r && x - r < l + w && t < y + r && y - r < t + h
        };
        let (size, wide, phone) = ((220.0, 150.0), (900.0, 600.0), (370.0, 380.0));
        // Room on the right: there; a node on the right edge: on its left.
        assert_eq!(popover_place((200.0, 300.0, 30.0), size, wide), (238.0, 225.0));
        assert_eq!(popover_place((800.0, 300.0, 30.0), size, wide), (542.0, 225.0));
        // A node near the top: not above the drawing.
        assert_eq!(popover_place((200.0, 20.0, 30.0), size, wide).1, 4.0);
        // On a phone, the top node has no room on either side: under it, inside the width.
        let (l, t) = popover_place((185.0, 60.0, 30.0), size, phone);
        assert!(l >= 4.0 && l + size.0 <= phone.0 - 4.0 && t == 98.0);
        // A bottom node: over it.
        let p = popover_place((185.0, 330.0, 30.0), size, phone);
        assert_eq!(p.1, 330.0 - 38.0 - 150.0);
        for anchor in [(60.0, 200.0, 30.0), (310.0, 200.0, 30.0), (185.0, 60.0, 30.0), (185.0, 330.0, 30.0)] {
            let p = popover_place(anchor, size, phone);
            assert!(p.0 >= 4.0 && p.0 + size.0 <= phone.0 - 4.0, "{anchor:?} {p:?}");
            assert!(!covers(p, size, anchor), "{anchor:?} {p:?}");
        }
    }

    #[test]
    fn messages_carry_the_values_they_propose_accept_report_or_announce() {
        use paxos_core::{Ballot, Msg, NodeId, PValue, Slot, Value};
        let (v, w) = (Value::Text("blue".into()), Value::Text("red".into()));
        let b = Ballot { round: 1, node: NodeId(0) };
        let pv = |slot, value: &Value| PValue { slot: Slot(slot), ballot: b, value: value.clone() };
        assert_eq!(carried_value(&Msg::Accept { ballot: b, slot: Slot(0), value: v.clone() }), Some(&v));
        assert_eq!(carried_value(&Msg::Accepted { ballot: b, slot: Slot(0), value: v.clone() }), Some(&v));
        assert_eq!(carried_value(&Msg::Decided { slot: Slot(0), value: v.clone() }), Some(&v));
        assert_eq!(carried_value(&Msg::Propose { value: v.clone() }), Some(&v));
        assert_eq!(carried_value(&Msg::Promise { ballot: b, accepted: vec![pv(0, &v)] }), Some(&v));
        assert_eq!(carried_value(&Msg::Promise { ballot: b, accepted: vec![pv(0, &v), pv(1, &v)] }), Some(&v));
        assert_eq!(carried_value(&Msg::Promise { ballot: b, accepted: vec![pv(0, &v), pv(1, &w)] }), None);
        assert_eq!(carried_value(&Msg::Promise { ballot: b, accepted: vec![] }), None);
        assert_eq!(carried_value(&Msg::Prepare { ballot: b, from: Slot(0) }), None);
        assert_eq!(carried_value(&Msg::Heartbeat { ballot: b, chosen: Slot(0) }), None);
    }
}
