//! Canvas layers for what moves while the run plays: the messages in the cluster drawing and the arrows of the
//! space-time diagram.
//!
//! At top speed hundreds of messages appear and disappear every frame; as SVG elements each one costs element
//! creation, attribute strings decoded from wasm and style, layout and paint in the browser (a CPU profile showed
//! these dominating the frame). While playing they are painted on a `<canvas>` laid over the SVG instead, in the SVG's
//! own coordinates; when paused they are SVG elements again, each a focusable, named, clickable button. Clicks on the
//! moving layer are hit-tested in plain Rust ([`nearest_message`], [`nearest_arrow`]).

use litemap::LiteMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use paxos_sim::MsgId;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};
use yew::prelude::*;

use crate::geometry::math::hypot;
use crate::geometry::{shape_path, KindStyle, Shape, VALUE_DOT};

/// How an SVG with a viewBox and `preserveAspectRatio="xMidYMid meet"` maps user units into its box, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    /// CSS pixels per user unit.
    pub scale: f64,
    /// Where user (0, 0) lands, in CSS pixels from the box's top left.
    pub dx: f64,
    /// See `dx`.
    pub dy: f64,
}

impl Fit {
    /// The mapping of viewBox `(x, y, w, h)` into a box of `width × height` CSS pixels.
    pub fn meet(view: (f64, f64, f64, f64), width: f64, height: f64) -> Fit {
        let (x, y, w, h) = view;
        let scale = (width / w).min(height / h);
        Fit { scale, dx: (width - w * scale) / 2.0 - x * scale, dy: (height - h * scale) / 2.0 - y * scale }
    }

    /// User units of a point given in CSS pixels from the box's top left.
    pub fn to_user(&self, px: f64, py: f64) -> (f64, f64) {
        ((px - self.dx) / self.scale, (py - self.dy) / self.scale)
    }
}

/// The message nearest to `p` within `radius` user units, from `(id, x, y)` positions.
pub fn nearest_message(
    p: (f64, f64),
    messages: impl IntoIterator<Item = (MsgId, f64, f64)>,
    radius: f64,
) -> Option<MsgId> {
    messages
        .into_iter()
        .map(|(id, x, y)| (id, hypot(x - p.0, y - p.1)))
        .filter(|&(_, d)| d <= radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Distance from `p` to the segment `a`–`b`.
pub fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) };
    hypot(p.0 - (a.0 + t * dx), p.1 - (a.1 + t * dy))
}

/// The arrow nearest to `p` within `radius`, from `(id, start, end)` segments.
pub fn nearest_arrow(
    p: (f64, f64),
    arrows: impl IntoIterator<Item = (MsgId, (f64, f64), (f64, f64))>,
    radius: f64,
) -> Option<MsgId> {
    arrows
        .into_iter()
        .map(|(id, a, b)| (id, segment_distance(p, a, b)))
        .filter(|&(_, d)| d <= radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// The CSS size of an element's box, kept up to date by a `ResizeObserver`. Reading `clientWidth` after the DOM
/// changed would force a synchronous layout every frame (a profile showed a third of the frame there).
#[hook]
pub fn use_box_size(node: NodeRef) -> Rc<Cell<(f64, f64)>> {
    let shared = use_memo((), |_| Rc::new(Cell::new((0.0f64, 0.0f64))));
    {
        let shared = (*shared).clone();
        use_effect_with((), move |_| watch_size(&node, move |w, h| shared.set((w, h))));
    }
    (*shared).clone()
}

/// An element's width in CSS pixels, rounded to 20, kept up to date by a `ResizeObserver`; 0 until it is measured.
/// Unlike [`use_box_size`], a change renders the component again (only when the rounded width changes), for a
/// layout that depends on the room it has.
#[hook]
pub fn use_width(node: NodeRef) -> f64 {
    // Unmeasured at first; rendered natively for the HTML, the width the first screen is drawn for.
    #[cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
    let width = use_state_eq(crate::prerender::width);
    #[cfg(not(all(feature = "ssr", not(target_arch = "wasm32"))))]
    let width = use_state_eq(|| 0.0f64);
    {
        let width = width.clone();
        use_effect_with((), move |_| watch_size(&node, move |w, _| width.set((w / 20.0).round() * 20.0)));
    }
    *width
}

/// Calls `f` with the element's size now and whenever it changes; the returned function stops watching.
fn watch_size(node: &NodeRef, f: impl Fn(f64, f64) + 'static) -> impl FnOnce() {
    let mut guard = None;
    if let Some(el) = node.cast::<web_sys::Element>() {
        f(el.client_width() as f64, el.client_height() as f64);
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(e) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                let r = e.content_rect();
                f(r.width(), r.height());
            }
        });
        if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            obs.observe(&el);
            guard = Some((obs, cb));
        }
    }
    move || {
        if let Some((obs, _cb)) = guard {
            obs.disconnect();
        }
    }
}

/// The canvas's 2D context, kept by the component that paints it: asking the canvas for it each frame cost a call
/// into JavaScript and a string per frame.
#[hook]
pub fn use_context() -> Rc<RefCell<Option<CanvasRenderingContext2d>>> {
    (*use_memo((), |_| Rc::new(RefCell::new(None)))).clone()
}

/// The canvas's 2D context (from `kept`, else asked for and kept there), its backing store sized to `(w, h)` CSS
/// pixels at the device's pixel ratio, and cleared. Returns the context, the CSS size and the pixel ratio.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    (w, h): (f64, f64),
    kept: &RefCell<Option<CanvasRenderingContext2d>>,
) -> Option<(CanvasRenderingContext2d, f64, f64, f64)> {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let (bw, bh) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if canvas.width() != bw {
        canvas.set_width(bw);
    }
    if canvas.height() != bh {
        canvas.set_height(bh);
    }
    if kept.borrow().is_none() {
        *kept.borrow_mut() = Some(canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?);
    }
    let ctx = kept.borrow().clone()?;
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, bw as f64, bh as f64);
    Some((ctx, w, h, dpr))
}

/// Clears a layer (when the run pauses and the SVG elements take over).
pub fn clear(canvas: &HtmlCanvasElement) {
    if let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    {
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    }
}

/// A message's look painted once into a small canvas of its own (a sprite), at one scale: its kind's marker, the dot
/// of the value it carries, faded when it will be lost.
#[derive(Default)]
struct Sprites {
    /// Device pixels per user unit the sprites were painted at; another scale repaints them.
    scale: f64,
    sprites: LiteMap<(&'static str, bool, &'static str), HtmlCanvasElement>,
}

thread_local! {
    static SPRITES: RefCell<Sprites> = RefCell::new(Sprites::default());
}

/// Half the side of a sprite, in user units: room for the largest marker (the star, 1.3 × 8), its outline and the
/// value dot on its upper right.
const SPRITE_HALF: f64 = 15.0;

/// Paints one message's look centred in a new canvas `side` device pixels square, `k` device pixels per user unit.
fn paint_sprite(style: KindStyle, lost: bool, colour: &'static str, k: f64, side: u32) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(side);
    canvas.set_height(side);
    let ctx = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
    let _ = ctx.set_transform(k, 0.0, 0.0, k, side as f64 / 2.0, side as f64 / 2.0);
    ctx.set_global_alpha(if lost { 0.3 } else { 1.0 });
    let path = Path2d::new_with_path_string(&shape_path(style.shape, 0.0, 0.0, 8.0)).ok()?;
    if style.shape == Shape::Ring {
        ctx.set_stroke_style_str(style.colour);
        ctx.set_line_width(3.0);
        ctx.stroke_with_path(&path);
    } else {
        ctx.set_fill_style_str(style.colour);
        ctx.fill_with_path_2d(&path);
        ctx.set_stroke_style_str("#1a1a1a");
        ctx.set_line_width(1.2);
        ctx.stroke_with_path(&path);
    }
    if !colour.is_empty() {
        let (dx, dy, r) = VALUE_DOT;
        ctx.begin_path();
        let _ = ctx.arc(dx, dy, r, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(colour);
        ctx.fill();
        ctx.set_stroke_style_str("#1a1a1a");
        ctx.set_line_width(1.0);
        ctx.stroke();
    }
    Some(canvas)
}

/// Paints the messages in flight, `(kind's style, x, y, lost, value colour)` with `(x, y)` in user units, as the SVG draws
/// them: the kind's marker and the dot of the value it carries. Each look is painted once into a sprite, which is
/// then copied at whole device pixels, one call per message: rasterizing hundreds of anti-aliased, outlined paths
/// every frame was most of the canvas's cost, and each path took eight calls from wasm to JavaScript.
pub fn paint_messages(
    ctx: &CanvasRenderingContext2d,
    fit: &Fit,
    dpr: f64,
    messages: impl IntoIterator<Item = (KindStyle, f64, f64, bool, Option<&'static str>)>,
) {
    let k = fit.scale * dpr;
    let side = (2.0 * SPRITE_HALF * k).ceil().max(1.0) as u32;
    let half = side as f64 / 2.0;
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.set_global_alpha(1.0);
    SPRITES.with(|cell| {
        let mut cache = cell.borrow_mut();
        if cache.scale != k {
            *cache = Sprites { scale: k, sprites: LiteMap::new() };
        }
        for (style, x, y, lost, colour) in messages {
            // Every kind has a colour of its own: it names the sprite's kind.
            let key = (style.colour, lost, colour.unwrap_or(""));
            if cache.sprites.get(&key).is_none() {
                let Some(sprite) = paint_sprite(style, lost, key.2, k, side) else { continue };
                cache.sprites.insert(key, sprite);
            }
            if let Some(sprite) = cache.sprites.get(&key) {
                let (px, py) = ((fit.dx + x * fit.scale) * dpr - half, (fit.dy + y * fit.scale) * dpr - half);
                let _ = ctx.draw_image_with_html_canvas_element(sprite, px.round(), py.round());
            }
        }
    });
}

/// Paints a selection ring of radius `r` around `(x, y)`.
pub fn paint_ring(ctx: &CanvasRenderingContext2d, fit: &Fit, dpr: f64, x: f64, y: f64, r: f64) {
    let k = fit.scale * dpr;
    let _ = ctx.set_transform(k, 0.0, 0.0, k, fit.dx * dpr, fit.dy * dpr);
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_stroke_style_str("#E69F00");
    ctx.set_line_width(3.0);
    ctx.stroke();
}

/// How one diagram arrow is painted.
pub struct ArrowPaint {
    /// Start and end, in user units.
    pub a: (f64, f64),
    /// See `a`.
    pub b: (f64, f64),
    /// The kind's look (its colour).
    pub style: KindStyle,
    /// Still travelling: dashed.
    pub in_flight: bool,
    /// Dropped: faded, with a ✕ at the end instead of a head.
    pub dropped: bool,
    /// Will be lost: faded.
    pub lost: bool,
    /// Selected: thick.
    pub selected: bool,
    /// The colour of the value the message carries, as a dot at the arrow's start (see
    /// [`carried_value`](crate::geometry::carried_value)).
    pub value: Option<&'static str>,
}

/// Paints the arrows of the space-time diagram (user units, `scale` CSS pixels per unit), batched by look: one path
/// and one stroke per kind and style rather than per arrow, since every canvas call crosses from wasm to JavaScript.
pub fn paint_arrows(ctx: &CanvasRenderingContext2d, scale: f64, dpr: f64, arrows: &[&ArrowPaint]) {
    let k = scale * dpr;
    let _ = ctx.set_transform(k, 0.0, 0.0, k, 0.0, 0.0);
    // (kind, in flight, faded, selected) → arrows.
    let mut groups: LiteMap<(&str, bool, bool, bool), Vec<&ArrowPaint>> = LiteMap::new();
    for a in arrows {
        let faded = (a.dropped || a.lost) && !a.selected;
        groups.entry((a.style.colour, a.in_flight, faded, a.selected)).or_default().push(a);
    }
    for ((colour, in_flight, faded, selected), group) in &groups {
        let colour = *colour;
        ctx.set_global_alpha(if *faded { 0.45 } else { 1.0 });
        ctx.set_stroke_style_str(colour);
        // In flight: thinner rather than dashed (the SVG, when paused, dashes them): dashing hundreds of segments
        // every frame made the canvas's rasterization the largest cost of a frame.
        ctx.set_line_width(if *selected {
            3.6
        } else if *in_flight {
            1.0
        } else {
            1.6
        });
        ctx.begin_path();
        for a in group {
            ctx.move_to(a.a.0, a.a.1);
            ctx.line_to(a.b.0, a.b.1);
        }
        ctx.stroke();
        // Heads, in the kind's colour; a dropped message ends in a ✕ instead.
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        for a in group.iter().filter(|a| !a.dropped) {
            let (dx, dy) = (a.b.0 - a.a.0, a.b.1 - a.a.1);
            let len = hypot(dx, dy);
            if len > 0.5 {
                let (ux, uy) = (dx / len, dy / len);
                ctx.move_to(a.b.0, a.b.1);
                ctx.line_to(a.b.0 - 7.0 * ux + 3.0 * uy, a.b.1 - 7.0 * uy - 3.0 * ux);
                ctx.line_to(a.b.0 - 7.0 * ux - 3.0 * uy, a.b.1 - 7.0 * uy + 3.0 * ux);
                ctx.close_path();
            }
        }
        ctx.fill();
        if group.iter().any(|a| a.dropped) {
            ctx.set_line_width(1.4);
            ctx.set_stroke_style_str("#1a1a1a");
            ctx.begin_path();
            for a in group.iter().filter(|a| a.dropped) {
                for (sx, sy) in [(1.0, 1.0), (1.0, -1.0)] {
                    ctx.move_to(a.b.0 - 3.5 * sx, a.b.1 - 3.5 * sy);
                    ctx.line_to(a.b.0 + 3.5 * sx, a.b.1 + 3.5 * sy);
                }
            }
            ctx.stroke();
        }
    }
    // The values carried, a dot at each arrow's start in the value's colour: one path per colour.
    let mut dots: LiteMap<(&'static str, bool), Vec<(f64, f64)>> = LiteMap::new();
    for a in arrows {
        if let Some(colour) = a.value {
            dots.entry((colour, (a.dropped || a.lost) && !a.selected)).or_default().push(a.a);
        }
    }
    ctx.set_stroke_style_str("#1a1a1a");
    ctx.set_line_width(0.8);
    for ((colour, faded), starts) in &dots {
        ctx.set_global_alpha(if *faded { 0.45 } else { 1.0 });
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        for &(x, y) in starts {
            ctx.move_to(x + ARROW_DOT, y);
            let _ = ctx.arc(x, y, ARROW_DOT, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
}

/// The radius of the value dot at the start of a diagram arrow, in user units (CSS pixels).
pub const ARROW_DOT: f64 = 3.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meet_centres_the_view_box_and_maps_back() {
        // A square view in a wide box: scaled to the height, centred horizontally.
        let f = Fit::meet((-100.0, 0.0, 200.0, 200.0), 400.0, 200.0);
        assert_eq!(f.scale, 1.0);
        assert_eq!((f.dx, f.dy), (200.0, 0.0));
        assert_eq!(f.to_user(200.0, 100.0), (0.0, 100.0));
    }

    #[test]
    fn clicks_find_the_nearest_message_or_arrow_within_reach() {
        let ms = [(MsgId(1), 0.0, 0.0), (MsgId(2), 10.0, 0.0)];
        assert_eq!(nearest_message((7.0, 1.0), ms, 15.0), Some(MsgId(2)));
        assert_eq!(nearest_message((50.0, 50.0), ms, 15.0), None);
        let arrows = [(MsgId(3), (0.0, 0.0), (100.0, 0.0)), (MsgId(4), (0.0, 20.0), (100.0, 40.0))];
        assert_eq!(nearest_arrow((50.0, 3.0), arrows, 5.0), Some(MsgId(3)));
        assert_eq!(nearest_arrow((50.0, 29.0), arrows, 5.0), Some(MsgId(4)));
        assert_eq!(nearest_arrow((150.0, 0.0), arrows, 5.0), None);
        assert_eq!(segment_distance((3.0, 4.0), (0.0, 0.0), (0.0, 0.0)), 5.0);
    }
}
