// The charts panel (issue 23, "Liveness and throughput you can see"), loaded the first time a person opens it, so the
// page's first download carries none of it: the throughput and latency of the transaction-ID client, the spans of
// crashes, partitions, cuts and no leader behind them, leader changes and configurations chosen marked, the meter's
// sentence (a stall named as it happens), a table for screen readers, and the series as CSV.
//
// The numbers come from the worker (crates/paxos-worker, op `series`: the run of the page's link replayed with
// paxos_sim::meter), never from the page's main thread. The page (web/src/components/charts.rs) calls
//   const charts = mount(element, { id })     // once, when the panel opens
//   charts.update(link)                        // whenever the run or the moment shown changes (throttled here)
//   charts.destroy()
// and listens on the element for `paxos-seek` events (detail: a simulated time): a click on a chart.
const SHOWN = 60; // windows drawn at most: the 6,000 time units up to the moment shown (the worker sends those)
const W = 320, H = 140, PAD = 30; // a chart's viewBox, for the page's side column; PAD holds the y axis labels
const NS = 'http://www.w3.org/2000/svg';
const BANDS = { crash: 'crash', partition: 'partition', cut: 'cut', 'no leader': 'noleader' };

/** Reads the meter's CSV (paxos_sim::meter::Meter::csv): windows, then bands and marks. */
export function parse(csv) {
  const [series, rest = ''] = csv.split('\n\n');
  const windows = series.split('\n').slice(1).filter(Boolean).map((l) => {
    const [start, commits, requests, p50, p99] = l.split(',');
    return { start: +start, commits: +commits, requests: +requests, p50: p50 === '' ? null : +p50, p99: p99 === '' ? null : +p99 };
  });
  const bands = [], marks = [];
  for (const l of rest.split('\n').slice(1).filter(Boolean)) {
    const [what, kind, from, to] = l.split(',');
    if (what === 'band') bands.push({ kind, from: +from, to: to === '' ? null : +to });
    else marks.push({ what, kind, time: +from });
  }
  return { windows, bands, marks };
}

const el = (name, attrs = {}, text) => {
  const e = document.createElementNS(attrs.svg ? NS : 'http://www.w3.org/1999/xhtml', name);
  for (const [k, v] of Object.entries(attrs)) if (k !== 'svg') e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const svg = (name, attrs, text) => el(name, { ...attrs, svg: true }, text);

/** One chart: `bars` (commits) or `lines` (p50 and p99), over [t0, t1), the bands and marks behind, a cursor at `now`. */
function chart(kind, label, data, t0, t1, now) {
  const shown = data.windows.filter((w) => w.start >= t0 && w.start < t1);
  const values = kind === 'bars' ? shown.map((w) => w.commits) : shown.flatMap((w) => (w.p99 === null ? [] : [w.p99]));
  const top = Math.max(1, ...values);
  const x = (t) => PAD + ((t - t0) / (t1 - t0)) * (W - PAD);
  const y = (v) => H - 14 - (v / top) * (H - 24);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart chart-${kind}`, role: 'img', 'aria-label': label });
  g.append(svg('title', {}, label));
  for (const b of data.bands) {
    const from = Math.max(b.from, t0), to = Math.min(b.to ?? now, t1);
    if (to <= from) continue;
    const cls = BANDS[b.kind] ?? BANDS[b.kind.split(' ')[0]] ?? 'cut';
    // "No leader" is a strip along the top, not a full-height band: it overlaps the crash or partition that caused
    // it, which would otherwise hide under it (or hide it).
    const strip = cls === 'noleader';
    const r = svg('rect', { x: x(from), y: strip ? 8 : 0, width: Math.max(1, x(to) - x(from)), height: strip ? 5 : H - 14, class: `band band-${cls}` });
    r.append(svg('title', {}, `${b.kind}: ${b.from} to ${b.to ?? 'now'}`));
    g.append(r);
  }
  g.append(svg('line', { x1: PAD, x2: W, y1: H - 14, y2: H - 14, class: 'axis' }));
  g.append(svg('text', { x: PAD - 4, y: 10, class: 'tick', 'text-anchor': 'end' }, String(top)));
  g.append(svg('text', { x: PAD - 4, y: H - 14, class: 'tick', 'text-anchor': 'end' }, '0'));
  g.append(svg('text', { x: PAD, y: H - 2, class: 'tick' }, String(t0)));
  g.append(svg('text', { x: W, y: H - 2, class: 'tick', 'text-anchor': 'end' }, String(t1)));
  const bw = ((W - PAD) / ((t1 - t0) / 100)) * 0.8;
  if (kind === 'bars') {
    for (const w of shown) if (w.commits) g.append(svg('rect', { x: x(w.start) + bw * 0.1, y: y(w.commits), width: bw, height: H - 14 - y(w.commits), class: 'bar' }));
  } else {
    for (const [key, cls] of [['p99', 'p99'], ['p50', 'p50']]) {
      let d = '', pen = 'M';
      for (const w of shown) {
        if (w[key] === null) { pen = 'M'; continue; }
        d += `${pen}${(x(w.start) + bw / 2).toFixed(1)} ${y(w[key]).toFixed(1)} `;
        pen = 'L';
      }
      if (d) g.append(svg('path', { d, class: `line ${cls}` }));
    }
  }
  for (const m of data.marks) {
    if (m.time < t0 || m.time >= t1) continue;
    // A leader change is a ▼ at the top; a configuration chosen, a ◆ under it (its acceptors in its title).
    const config = m.what === 'config';
    const mk = svg('path', { d: config ? `M${x(m.time).toFixed(1)} 9 l4 4 -4 4 -4 -4 z` : `M${(x(m.time) - 4).toFixed(1)} 0 h8 l-4 7 z`, class: `mark mark-${m.what}` });
    mk.append(svg('title', {}, config ? `configuration chosen at ${m.time}: ${m.kind}` : `${m.kind} leads from ${m.time}`));
    g.append(mk);
  }
  if (now >= t0 && now <= t1) g.append(svg('line', { x1: x(now), x2: x(now), y1: 0, y2: H - 14, class: 'cursor' }));
  g.addEventListener('click', (e) => {
    const box = g.getBoundingClientRect();
    const t = t0 + ((((e.clientX - box.left) / box.width) * W - PAD) / (W - PAD)) * (t1 - t0);
    g.dispatchEvent(new CustomEvent('paxos-seek', { detail: Math.max(0, Math.round(t)), bubbles: true }));
  });
  return g;
}

/** The series as a table, for screen readers and for reading exact numbers. */
function table(data, t0, t1) {
  const t = el('table', { class: 'series' });
  t.append(el('caption', {}, `Commits and request latency per 100 time units, from ${t0} to ${t1}`));
  const head = el('tr');
  for (const h of ['From', 'Commits', 'Latency median', 'Latency 99th percentile']) head.append(el('th', { scope: 'col' }, h));
  t.append(head);
  for (const w of data.windows.filter((w) => w.start >= t0 && w.start < t1)) {
    const r = el('tr');
    for (const v of [w.start, w.commits, w.p50 ?? '–', w.p99 ?? '–']) r.append(el('td', {}, String(v)));
    t.append(r);
  }
  return t;
}

export function mount(host, id = 'charts') {
  host.replaceChildren();
  // The panel's look, in the page's style and both themes (a figure's shadow root gets its own copy).
  host.append(el('link', { rel: 'stylesheet', href: new URL('./charts.css', import.meta.url).href }));
  const meter = el('p', { class: 'meter', id: `${id}-meter`, role: 'status' }, 'Measuring…');
  const body = el('div', { class: 'charts-body' });
  const csvButton = el('button', { type: 'button', class: 'small', id: `${id}-csv` }, 'Export CSV');
  host.append(meter, body, csvButton);
  // One request at a time: the latest link waiting (an older one is skipped), and a click's or the export's
  // request before it.
  let worker = null, ready = false, inflight = null, nextLink = null, nextAsk = null, last = null, link = null;
  const pump = () => {
    if (!host.isConnected) { worker.terminate(); return; }
    if (!ready || inflight) return;
    if (nextAsk) { inflight = nextAsk; nextAsk = null; }
    else if (nextLink) { link = nextLink; inflight = { op: 'series', text: nextLink }; nextLink = null; }
    else return;
    worker.postMessage(inflight);
  };
  const draw = (reply) => {
    if (!reply.ok) { meter.textContent = reply.error; meter.className = 'meter stalled'; return; }
    last = reply;
    const data = parse(reply.text);
    const now = reply.time;
    // From the start, or the last 6,000 time units, to the window of the moment shown (at least 1,000 wide).
    const t1 = Math.max(1000, Math.ceil((now + 1) / 100) * 100);
    const t0 = Math.max(0, t1 - SHOWN * 100);
    meter.textContent = reply.meter;
    meter.className = reply.stalled ? 'meter stalled' : 'meter';
    const lastW = [...data.windows].reverse().find((w) => w.start < t1);
    const tput = `Throughput: commits per 100 time units from ${t0} to ${t1}${lastW ? `, ${lastW.commits} in the last` : ''}`;
    const lat = `Latency: median and 99th percentile of client requests per 100 time units${lastW && lastW.p99 !== null ? `, last ${lastW.p50} and ${lastW.p99}` : ''}`;
    const details = el('details', { class: 'table' });
    // What the bands and marks show, in words, for those who do not see them.
    const events = el('ul', { class: 'events' });
    for (const b of data.bands) if ((b.to ?? now) > t0) events.append(el('li', {}, `${b.kind}: ${b.from} to ${b.to ?? 'now'}`));
    for (const m of data.marks) {
      if (m.time >= t0) events.append(el('li', {}, m.what === 'config' ? `configuration chosen at ${m.time}: ${m.kind}` : `${m.kind} leads from ${m.time}`));
    }
    details.append(el('summary', {}, 'The series as a table'), table(data, t0, t1), events);
    const legend = el('p', { class: 'charts-legend hint' });
    for (const [cls, words] of [['bar', 'commits'], ['p50', 'latency median'], ['p99', '99th percentile'], ['band-crash', 'crash'],
      ['band-partition', 'partition'], ['band-cut', 'cut'], ['band-noleader', 'no leader'], ['mark-leader', 'leader change'], ['mark-config', 'configuration chosen']]) {
      legend.append(el('span', { class: `key ${cls}` }), ` ${words} `);
    }
    body.replaceChildren(
      el('h3', {}, 'Throughput'), chart('bars', tput, data, t0, t1, now),
      el('h3', {}, 'Latency'), chart('lines', lat, data, t0, t1, now),
      legend, details,
    );
  };
  const loader = new URL('./paxos-worker_loader.js', import.meta.url).href;
  try {
    worker = new Worker(loader);
  } catch (e) {
    meter.textContent = 'The charts need a Web Worker, which this browser could not start.';
    return { update() {}, destroy() {} };
  }
  worker.onmessage = (e) => {
    const r = e.data, asked = inflight;
    if (r.ready) ready = true;
    else if (asked?.op === 'moment') {
      // The moment of a click: the page's timeline goes there, as a person dragging it would take it.
      const slider = host.getRootNode().querySelector('.timeline input[type=range]');
      if (r.ok && slider) { slider.value = String(r.moment); slider.dispatchEvent(new InputEvent('input', { bubbles: true })); }
    } else if (asked?.all && r.ok) {
      const a = el('a', { href: URL.createObjectURL(new Blob([r.text], { type: 'text/csv' })), download: 'paxos-series.csv' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } else if (asked) draw(r);
    if (!r.ready) inflight = null;
    pump();
  };
  host.addEventListener('paxos-seek', (e) => { if (last) { nextAsk = { op: 'moment', text: String(e.detail) }; pump(); } });
  worker.onerror = () => { meter.textContent = 'The charts could not load their worker.'; };
  // The export is the whole run's series, asked for when wanted.
  csvButton.addEventListener('click', () => { if (link) { nextAsk = { op: 'series', text: link, all: '1' }; pump(); } });
  return { update(l) { nextLink = l; pump(); } };
}
