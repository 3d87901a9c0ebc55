// Layout tests: the picture comes first. In every state a person meets (a fresh page, a playing run, each stage of
// each scenario, the guided tour and its end, after a violation) and at three viewports (1280x720, 1440x900 and a
// 390x844 phone), every node of the drawing, the timeline and the state's primary controls lie inside the first
// screen without scrolling, and nothing covers a node or its label. The same for an embedded figure in a 480-px
// frame (3 and 5 nodes, light and dark) and for mount() figures. Screenshots of each state land in
// screenshots/layout-*.png. Run: node --test --test-concurrency=1 e2e/layout.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, SHOTS } from './helpers.mjs';

const suite = browserSuite();
const VIEWPORTS = [[1280, 720], [1440, 900], [390, 844]];
const SCENARIOS = ['happy-path', 'adopt-accepted', 'highest-ballot', 'dueling', 'minority-crashed', 'proposer-crash',
  'partition', 'multi-leader-change', 'membership', 'amnesia', 'reconfigure-early'];

/** Boxes (x, y, width, height) of everything that matters, in viewport pixels. */
async function boxes(page, selectors) {
  return page.evaluate((selectors) => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const out = {};
    for (const [name, sel] of Object.entries(selectors)) {
      out[name] = [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).map(box);
    }
    out.viewport = { w: window.innerWidth, h: window.innerHeight, scrollY: window.scrollY };
    out.labels = [...document.querySelectorAll('svg.cluster .node-info')].map((t) => ({
      node: t.getAttribute('data-node'), ...box(t) }));
    out.discs = [...document.querySelectorAll('.app:not(.picture) svg.cluster g.node .disc')].map((d) => ({
      node: d.closest('g.node').getAttribute('data-node'), ...box(d) }));
    return out;
  }, selectors);
}

const inside = (b, v) => b.x >= -0.5 && b.y >= -0.5 && b.x + b.w <= v.w + 0.5 && b.y + b.h <= v.h + 0.5 && b.w > 0 && b.h > 0;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every node, the timeline and `controls` are on the first screen; no overlay covers a node or a label; no label
 * of one node lies on another node. */
async function assertFirstScreen(page, what, controls) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const sel = { nodes: '.app:not(.picture) svg.cluster g.node', timeline: '#timeline', chip: '.banner', ...controls };
  const b = await boxes(page, sel);
  const v = b.viewport;
  assert.ok(b.nodes.length >= 3, `${what}: the nodes are drawn`);
  for (const [name] of Object.entries(sel)) {
    if (name === 'chip') continue;
    assert.ok(b[name].length > 0, `${what}: ${name} is shown`);
    for (const x of b[name]) assert.ok(inside(x, v), `${what}: ${name} ${JSON.stringify(x)} lies inside ${v.w}x${v.h}`);
  }
  for (const chip of b.chip) {
    for (const n of [...b.nodes, ...b.labels]) assert.ok(!overlap(chip, n), `${what}: the status chip covers a node or a label`);
  }
  for (const l of b.labels) {
    for (const d of b.discs) {
      if (d.node !== l.node) assert.ok(!overlap(l, d), `${what}: node ${l.node}'s label lies on node ${d.node}`);
    }
  }
}

async function open(path, [w, h], options = {}) {
  const g = await guardedPage(suite.browser, { viewport: { width: w, height: h }, reducedMotion: 'reduce', ...options });
  await g.page.goto(suite.server.url + path);
  await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  return g;
}

async function done(g, shot) {
  await g.page.evaluate(() => window.scrollTo(0, 0));
  await g.page.screenshot({ path: join(SHOTS, shot) });
  assert.deepEqual(g.problems.console, [], 'no console errors');
  assert.deepEqual(g.problems.outside, [], 'no request leaves 127.0.0.1');
  await g.context.close();
}

const PLAY = { play: '#play', step: '#step', speed: '#speed' };
const PROPOSE = { value: '#value', propose: '#propose' };
const LESSON = { narration: '#narration', next: '#tour-next', back: '#tour-back' };

/** Presses Next and waits until the stage has played (the moment moved) and paused. */
async function next(page) {
  const before = await page.locator('.timeline .moment').innerText();
  await page.locator('#tour-next').click();
  await page.waitForFunction((b) => document.querySelector('.timeline .moment')?.textContent !== b
    && document.querySelector('.app').dataset.playing === 'false', before, { timeout: 20000 });
}

const START = { start: '#start-propose', tour: '#take-tour' };

for (const vp of VIEWPORTS) {
  const tag = `${vp[0]}x${vp[1]}`;

  test(`${tag}: a fresh page and a playing run show the drawing, the timeline, Play and Propose`, async () => {
    const g = await open('', vp);
    // Where to start: over the drawing, on the first screen, with the scenario menu saying what it is.
    await assertFirstScreen(g.page, 'fresh page', { ...PLAY, ...PROPOSE, ...START });
    assert.match(await g.page.locator('#scenario option:checked').innerText(), /scenario/i, 'the menu says what it is');
    await g.page.screenshot({ path: join(SHOTS, `layout-fresh-${tag}.png`) });
    // Play with nothing to run says so, under Play, on the first screen.
    await g.page.locator('#play').click();
    await assertFirstScreen(g.page, 'play with nothing to run', { ...PLAY, note: '.idle-note' });
    await g.page.screenshot({ path: join(SHOTS, `layout-nothing-to-run-${tag}.png`) });
    await propose(g.page, 'blue');
    await g.page.selectOption('#speed', '2');
    await g.page.locator('#play').click();
    await g.page.waitForSelector('.app[data-playing=true]');
    await assertFirstScreen(g.page, 'playing', { ...PLAY, ...PROPOSE });
    await g.page.screenshot({ path: join(SHOTS, `layout-playing-${tag}.png`) });
    await g.page.waitForSelector('.chosen-note', { timeout: 20000 });
    await g.page.locator('#play').click();
    await assertFirstScreen(g.page, 'chosen', { ...PLAY, ...PROPOSE });
    assert.match(await g.page.locator('#safety').innerText(), /Chosen: blue at 1\.0/);
    await done(g, `layout-chosen-${tag}.png`);
  });

  test(`${tag}: every stage of every scenario keeps the drawing, the narration, Next and Back on the first screen`, async () => {
    for (const id of SCENARIOS) {
      const g = await open(`?scenario=${id}`, vp);
      await assertFirstScreen(g.page, `${id} before its first stage`, { ...PLAY, ...LESSON });
      let k = 0;
      while (!(await g.page.locator('#tour-next').isDisabled())) {
        await next(g.page);
        k += 1;
        await assertFirstScreen(g.page, `${id} stage ${k}`, { ...PLAY, ...LESSON });
      }
      assert.ok(k >= 2, `${id} has stages`);
      await done(g, `layout-scenario-${id}-${tag}.png`);
    }
  });

  test(`${tag}: the guided tour and a violation`, async () => {
    const g = await open('?tour=1', vp);
    await assertFirstScreen(g.page, 'the tour', { ...PLAY, ...LESSON });
    await next(g.page);
    await assertFirstScreen(g.page, 'the tour, stage 1', { ...PLAY, ...LESSON });
    await g.page.screenshot({ path: join(SHOTS, `layout-tour-${tag}.png`) });
    await g.context.close();
    // The amnesia scenario breaks agreement in its last stages; the status turns red and stays one line.
    const a = await open('?scenario=amnesia', vp);
    while (!(await a.page.locator('#tour-next').isDisabled())) await next(a.page);
    await a.page.locator('.banner.violated').waitFor();
    await assertFirstScreen(a.page, 'after a violation', { ...PLAY, ...LESSON, show: '.show-violation', details: '#safety .details' });
    // Its details open over the page on demand, and close again.
    await a.page.locator('#safety .details').click();
    assert.match(await a.page.locator('#safety').innerText(), /Two values chosen/);
    await a.page.screenshot({ path: join(SHOTS, `layout-violation-details-${tag}.png`) });
    await a.page.locator('#safety .details').click();
    await done(a, `layout-violation-${tag}.png`);
  });
}

/** The boxes of `selector`'s elements. */
const all = (page, selector) => page.locator(selector).evaluateAll((els) => els.map((e) => {
  const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height };
}));

for (const vp of [[1280, 720], [390, 844]]) {
  const tag = `${vp[0]}x${vp[1]}`;
  test(`${tag}: the small slips: crown, crash badge, value pills, timeline marks, the Run panel's rows, What if`, async () => {
    const g = await open('', vp);
    const page = g.page;
    // The leader's crown (node 0, in phase 2) sits under its label, not over it.
    await propose(page, 'majority', '0');
    while (!(await page.locator('g.node[data-node="0"] .crown').count())) await page.locator('#step').click();
    for (const crown of await all(page, 'g.node[data-node="0"] .crown')) {
      for (const label of await all(page, '.node-info[data-node="0"]')) assert.ok(!overlap(crown, label), `${tag}: the crown covers node 0's label`);
    }
    // A value pill holds "majority" whole.
    while (!(await page.locator('.accepted-pill').count())) await page.locator('#step').click();
    assert.deepEqual([...new Set(await page.locator('.accepted-pill text').allTextContents())], ['majority']);
    // A crashed node's number stays readable: its badge is beside it.
    await page.locator('g.node[data-node="1"] .disc').click();
    await page.getByRole('button', { name: 'Crash node 1' }).click();
    const [id] = await all(page, 'g.node[data-node="1"] .node-id');
    for (const badge of await all(page, '.crash-cross')) assert.ok(!overlap(badge, id), `${tag}: the crash badge covers the node's number`);
    await page.screenshot({ path: join(SHOTS, `layout-slips-${tag}.png`) });
    // The Run panel: the two quorum sizes share a row.
    const [q1] = await all(page, '.knob:has(#q1)');
    const [q2] = await all(page, '.knob:has(#q2)');
    assert.ok(Math.abs(q1.y - q2.y) < 2, `${tag}: Phase-2 quorum has a row of its own (${JSON.stringify({ q1, q2 })})`);
    await g.context.close();
    // Amnesia at its end: crash, restart, violation and chosen marks crowd the timeline; each is a 24-px target of
    // its own.
    const a = await open('?scenario=amnesia&moment=42', vp);
    const marks = await all(a.page, '.tl-mark');
    assert.ok(marks.length >= 4, 'the amnesia run has its marks');
    for (const [i, m] of marks.entries()) {
      assert.ok(m.w >= 24 && m.h >= 24, `${tag}: mark ${i} is ${m.w}x${m.h}`);
      for (const o of marks.slice(i + 1)) assert.ok(!overlap(m, o), `${tag}: marks overlap`);
    }
    const [slider] = await all(a.page, '#timeline');
    for (const m of marks) assert.ok(!overlap(m, slider), `${tag}: a mark covers the slider`);
    // What if: every choice fits its menu.
    const clipped = await a.page.locator('#what-if').evaluate((sel) => {
      const ctx = document.createElement('canvas').getContext('2d');
      const cs = getComputedStyle(sel);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      return [...sel.options].map((o) => o.text).filter((t) => ctx.measureText(t).width > room);
    });
    assert.deepEqual(clipped, [], `${tag}: every What if choice fits the menu`);
    await done(a, `layout-marks-${tag}.png`);
  });
}

for (const vp of VIEWPORTS) {
  test(`${vp[0]}x${vp[1]}: an exercise open and solved keeps the drawing, the timeline and the goal on the first screen`, async () => {
    const g = await open('?exercise=first-value', vp);
    await g.page.locator('.panel.exercise ul.goal').waitFor();
    await assertFirstScreen(g.page, `exercise ${vp}`, { goal: '.panel.exercise .task', step: '#step' });
    await propose(g.page, 'blue', '0');
    for (let i = 0; i < 30 && !(await g.page.locator('.panel.exercise .solved').count()); i++) await g.page.locator('#step').click();
    await assertFirstScreen(g.page, `exercise solved ${vp}`, { solved: '.panel.exercise .solved' });
    await done(g, `layout-exercise-${vp[0]}x${vp[1]}.png`);
  });
}

test('an embedded figure in a 480-px frame shows every node, the narration, Next and the timeline', async () => {
  for (const [w, h] of [[720, 480], [560, 480], [390, 480]]) {
    for (const [id, theme] of [['dueling', 'light'], ['partition', 'dark'], ['amnesia', 'light'], ['multi-leader-change', 'dark']]) {
      const g = await open(`?embed=1&scenario=${id}&theme=${theme}`, [w, h]);
      assert.equal(await g.page.locator('#propose, .setup, .log').count(), 0, 'a figure shows no panels unless asked');
      await assertFirstScreen(g.page, `figure ${id} ${w}x${h}`, LESSON);
      await next(g.page);
      await assertFirstScreen(g.page, `figure ${id} ${w}x${h} after Next`, LESSON);
      await done(g, `layout-figure-${id}-${theme}-${w}x${h}.png`);
    }
  }
});

test('a 5-node embed in a 480-px frame shows every node, the timeline and Play, in both themes', async () => {
  for (const [w, h] of [[720, 480], [560, 480], [390, 480]]) {
    for (const theme of ['light', 'dark']) {
      const g = await open(`?embed=1&nodes=5&theme=${theme}`, [w, h]);
      assert.equal(await g.page.locator('.app:not(.picture) svg.cluster g.node').count(), 5);
      await assertFirstScreen(g.page, `5 nodes ${w}x${h} ${theme}`, { play: '#play' });
      await done(g, `layout-embed-5-nodes-${theme}-${w}x${h}.png`);
    }
  }
});

test('an iframe tells its page the height it needs, and a page that follows it shows the whole figure', async () => {
  const g = await guardedPage(suite.browser, { viewport: { width: 900, height: 900 } });
  await g.page.goto(suite.server.url + 'embed-example.html');
  await g.page.waitForFunction(() => window.playgroundsReady === true && !document.querySelector('.paxos-static'));
  const frame = g.page.frameLocator('#iframe-example');
  await frame.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
  // The example page listens for the frame's resize messages and sets its height.
  await g.page.waitForFunction(() => Number(document.querySelector('#iframe-example').dataset.resized || 0) > 0);
  const height = await g.page.evaluate(() => document.querySelector('#iframe-example').getBoundingClientRect().height);
  const content = await frame.locator('.app').evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(Math.abs(height - content) <= 24, `the frame (${height}px) fits its content (${content}px)`);
  const hidden = await frame.locator('body').evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(hidden <= 2, `nothing scrolls inside the frame (${hidden}px)`);
  await g.page.locator('#iframe-example').scrollIntoViewIfNeeded();
  await g.page.screenshot({ path: join(SHOTS, 'layout-iframe-auto-height.png') });
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('mount() figures: each draws its nodes, narration, Next and timeline inside its element', async () => {
  const g = await guardedPage(suite.browser, { viewport: { width: 1000, height: 800 } });
  await g.page.goto(suite.server.url + 'embed-example.html');
  await g.page.waitForFunction(() => window.playgroundsReady === true && !document.querySelector('.paxos-static'));
  for (const fig of ['#figure-adopt', '#figure-duel']) {
    await g.page.locator(fig).scrollIntoViewIfNeeded();
    const el = g.page.locator(fig);
    const box = await el.boundingBox();
    // The adopt figure has the default panels; the duel asked for the time controls and the diagram too.
    if (fig === '#figure-adopt') assert.ok(box.height <= 800, `${fig} (${box.height}px) fits one screen`);
    await el.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    const parts = await el.evaluate((root) => {
      const r = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
      const q = (s) => [...(root.shadowRoot ?? root).querySelectorAll(s)].map(r);
      return { root: r(root), nodes: q('.app:not(.picture) svg.cluster g.node'), timeline: q('input[type=range]'), next: q('[id$=tour-next]'), narration: q('[id$=narration]') };
    });
    for (const k of ['nodes', 'timeline', 'next', 'narration']) {
      assert.ok(parts[k].length > 0, `${fig}: ${k} shown`);
      for (const b of parts[k]) {
        assert.ok(b.y >= parts.root.y - 1 && b.y + b.h <= parts.root.y + parts.root.h + 1, `${fig}: ${k} inside the figure`);
        assert.ok(b.y + b.h <= 800, `${fig}: ${k} on screen`);
      }
    }
  }
  await g.page.screenshot({ path: join(SHOTS, 'layout-mount-figures.png'), fullPage: true });
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

// Raft (?protocol=raft) and Compare (?compare=1), from the second build: the same first-screen rules.
for (const vp of VIEWPORTS) {
  const tag = `${vp[0]}x${vp[1]}`;
  test(`${tag}: the Raft page shows the drawing, the timeline, Play and Propose, and keeps them with a leader elected`, async () => {
    const g = await open('?protocol=raft', vp);
    await assertFirstScreen(g.page, 'fresh Raft page', { ...PLAY, ...(vp[0] > 500 ? PROPOSE : {}) });
    await g.page.selectOption('#speed', '5');
    await g.page.locator('#play').click();
    await g.page.locator('svg.cluster .crown').first().waitFor({ timeout: 30000 });
    await g.page.locator('#play').click();
    await assertFirstScreen(g.page, 'Raft with a leader', { ...PLAY, strips: 'svg.raft-logs' });
    await done(g, `layout-raft-${tag}.png`);
  });
}
for (const vp of VIEWPORTS) {
  const tag = `${vp[0]}x${vp[1]}`;
  test(`${tag}: the charts, open, fit the page's width and leave the first screen as it was`, async () => {
    const g = await open('?mode=multi', vp);
    await g.page.getByRole('checkbox', { name: /Send a request every/ }).check();
    await g.page.getByRole('button', { name: 'Show charts' }).click();
    await g.page.locator('#play').click();
    await g.page.locator('#charts .chart-lines').waitFor({ timeout: 20000 });
    await g.page.locator('#play').click();
    await g.page.evaluate(() => window.scrollTo(0, 0));
    await assertFirstScreen(g.page, 'Multi-Paxos with the charts open', PLAY);
    const b = await boxes(g.page, { charts: '#charts .chart', meter: '#charts-meter' });
    assert.equal(b.charts.length, 2);
    for (const x of [...b.charts, ...b.meter]) assert.ok(x.x >= -0.5 && x.x + x.w <= b.viewport.w + 0.5 && x.h > 20, `${tag}: ${JSON.stringify(x)} fits ${b.viewport.w}`);
    await done(g, `layout-charts-${tag}.png`);
  });
}
for (const vp of VIEWPORTS.filter(([w]) => w > 500)) {
  const tag = `${vp[0]}x${vp[1]}`;
  test(`${tag}: Compare shows both drawings, the timeline and Play on the first screen`, async () => {
    const g = await open('?compare=1&nodes=5', vp);
    await g.page.evaluate(() => window.scrollTo(0, 0));
    const b = await boxes(g.page, { nodes: '.compare-side svg.cluster g.node', timeline: '#timeline', play: '#play' });
    assert.equal(b.nodes.length, 10, 'five nodes a side');
    for (const name of ['nodes', 'timeline', 'play']) {
      for (const x of b[name]) assert.ok(inside(x, b.viewport), `Compare ${tag}: ${name} ${JSON.stringify(x)} lies inside the first screen`);
    }
    await done(g, `layout-compare-${tag}.png`);
  });
}
