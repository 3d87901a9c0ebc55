// The playground's performance numbers (a report, not assertions): `node e2e/bench.mjs` after building dist/.
//  - the initial transfer, gzip (scripts/budget.mjs, which the tests run: budget <= 300 KB)
//  - load to interactive on localhost, median of 5    (target <= 250 ms)
//  - cold load on a slow mobile connection (Lighthouse's mobile profile: 1.6 Mbit/s down, 150 ms round trip, 4x CPU
//    slowdown), median of 5, for the full page, a figure of the example mdBook (build it first: scripts/book.sh) and
//    figures of mount() in a page: to every node painted (target <= 1.0 s; the picture in the HTML) and to
//    interactive (target <= 2.5 s, Core Web Vitals' "good" Largest Contentful Paint)
//  - p95 frame time, 9 nodes, ~200 messages in flight, top speed (target <= 16.7 ms)
//  - simulator deliveries/s in wasm (window.paxosBench, the CLI's bench workload) vs native (`paxos bench --json`)
//  - time travel: seek to moment 100,000 (target <= 50 ms) and the link length of a 1,000-action run
//    (window.paxosTravelBench; natively: cargo run --release -p web --example bench_time_travel)
//  - "Check every future" of a fresh 3-node run with two proposals: distinct states per second in the Web Worker
//    against the native explorer on the same link (`paxos check --link`; target >= 50 %), the time to its answer,
//    and the p95 frame time of the page playing at top speed while the worker searches (target <= 16.7 ms)
// DIST_DIR=/other/dist measures another build; BENCH_QUERY='?controls=time,setup,network' the frame time with only
// those panels.
// Set COMPARE=1 to measure only Compare (its cold load and frame time), LOADS_ONLY=1 to measure only the loads, SKIP_NATIVE=1 to skip the native run (it builds the CLI in release mode), CHARTS=1 to open the charts panel for the frame time, FRAME_ONLY=1 to measure only the frame
// time (profiling), and FRAME_TRACE=path.json to record a Chromium performance trace of the measured frames.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, serveDirs, launch, guardedPage, DIST, ROOT } from './helpers.mjs';

const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const out = {};
// A fresh 3-node single-decree run (seed 1) in which nodes 0 and 2 have just proposed "a" and "b".
const FRESH_TWO_PROPOSALS = '1.AQADBwcHAAAAAggQCAIKBQ8AAAoBAgEAAgFhAQICAWIC';

const budget = execFileSync('node', [join(ROOT, 'scripts', 'budget.mjs')], { encoding: 'utf8', env: { ...process.env, DIST_DIR: DIST } });
console.log(budget.trimEnd());
out.transfer_gzip_kb = +(/budget: ([\d.]+) KB/.exec(budget) || [0, 0])[1];

const FRAME_ONLY = process.env.FRAME_ONLY === '1';
const server = await serveDist();
// Slow loads are served as a static host serves them, cacheable (every load is still cold: each has a new browser
// context), so a page's second use of a file (a figure's stylesheet, an iframe's playground) comes from the cache.
// The example book (scripts/book.sh) beside dist/, for its figures' cold load.
const cached = await serveDirs([['/playground/', DIST], ['/book/', join(ROOT, 'docs/book/book')]], { headers: { 'cache-control': 'max-age=600' } });
const browser = await launch();
try {
  if (!FRAME_ONLY) {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const { context, page } = await guardedPage(browser);
    // The moment the cluster's first node is in the page (the app has rendered and handles input), read by a
    // MutationObserver in the page itself rather than when the test harness's polling notices it.
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('.app:not(.picture) svg.cluster g.node')) { window.__interactive = performance.now(); obs.disconnect(); }
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(server.url);
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    loads.push(await page.evaluate(() => window.__interactive));
    await context.close();
  }
  out.load_to_interactive_ms = +pct(loads, 50).toFixed(0);
  console.log(`load to interactive (median of 5): ${out.load_to_interactive_ms} ms  [${loads.map((x) => x.toFixed(0)).join(', ')}]  (target <= 250 ms)`);

  // Cold loads under Chromium's emulation of a slow mobile connection, as Lighthouse's mobile profile sets it.
  const slowLoad = async (path, ready) => {
    // A plain context, not guardedPage's: request interception (its guard against requests leaving 127.0.0.1)
    // switches Chromium's HTTP cache off, and with it preloads and a second use of a file, which a reader's browser
    // has. (The pages fetch nothing from elsewhere: e2e/csp.test.mjs checks that.)
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // A new context has an empty cache: a cold load, in which a page's second use of a file (an iframe's) is served
    // from what the first fetched, as in a browser.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // A mounted figure draws inside its element's shadow root, which a MutationObserver on the document does not
    // see: `host >>> inner` selectors are looked for on every frame instead. Painted: the first frame whose
    // rendering steps find three node discs with a box (the picture in the HTML, or the app's drawing), in the
    // document or in a figure's shadow root; a requestAnimationFrame callback runs just before that frame's paint.
    await page.addInitScript((sel) => {
      const [host, inner] = sel.split(' >>> ');
      const found = () => (inner ? document.querySelector(host)?.shadowRoot?.querySelector(inner) : document.querySelector(host));
      const painted = () => [document, ...[...document.querySelectorAll('paxos-figure')].map((f) => f.shadowRoot).filter(Boolean)]
        .flatMap((root) => [...root.querySelectorAll('svg.cluster g.node .disc')])
        .filter((d) => { const r = d.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length >= 3;
      const look = () => {
        if (!window.__painted && painted()) window.__painted = performance.now();
        if (found()) window.__interactive = performance.now(); else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    }, ready);
    await page.goto(cached.url + path, { timeout: 60000 });
    await page.waitForFunction(() => window.__interactive, null, { timeout: 60000 });
    // Interactive: the drawing is there and (on the full page) Propose takes a click.
    if (!path) await page.locator('#propose').waitFor({ state: 'visible' });
    const ms = await page.evaluate(() => [window.__painted ?? window.__interactive, window.__interactive]);
    await context.close();
    return ms;
  };
  for (const [name, key, path, ready] of [
    ['full page', 'slow_load', '', '.app:not(.picture) svg.cluster g.node'],
    ['a figure in the example mdBook (docs/book)', 'slow_load_book_figure', '../book/introduction.html', 'paxos-figure >>> .app:not(.picture) svg.cluster g.node'],
    ['figures of mount() in a page (embed-example.html)', 'slow_load_doc_figure', 'embed-example.html', '#figure-adopt >>> .app:not(.picture) svg.cluster g.node'],
  ]) {
    const times = [];
    for (let i = 0; i < 5; i++) times.push(await slowLoad(path, ready));
    out[`${key}_painted_ms`] = +pct(times.map((t) => t[0]), 50).toFixed(0);
    out[`${key}_ms`] = +pct(times.map((t) => t[1]), 50).toFixed(0);
    console.log(`cold load on a slow mobile connection, ${name} (median of 5): every node painted ${out[`${key}_painted_ms`]} ms (target <= 1000 ms), interactive ${out[`${key}_ms`]} ms (target <= 2500 ms)  [${times.map((t) => t.map((x) => x.toFixed(0)).join('/')).join(', ')}]`);
  }
  if (process.env.COMPARE === '1') {
    // Compare (?compare=1, the second build): its cold load, and the frame time of two 5-node clusters at top speed
    // with the steady client (issue 22: <= 2.5 s, p95 <= 16.7 ms).
    const times = [];
    for (let i = 0; i < 5; i++) times.push(await slowLoad('?compare=1', '.app.compare .compare-side svg.cluster g.node'));
    out.slow_load_compare_ms = +pct(times.map((t) => t[1]), 50).toFixed(0);
    console.log(`cold load on a slow mobile connection, Compare (median of 5): interactive ${out.slow_load_compare_ms} ms (target <= 2500 ms)  [${times.map((t) => t[1].toFixed(0)).join(', ')}]`);
    const { context, page } = await guardedPage(browser);
    await page.goto(server.url + '?compare=1&nodes=5');
    await page.waitForSelector('.app.compare .compare-side svg.cluster g.node');
    await page.getByRole('checkbox', { name: /Send a request every/ }).check();
    await page.selectOption('#speed', '6');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(1500);
    const r = await page.evaluate(() => new Promise((done) => {
      const frames = []; let last = performance.now(); const end = last + 4000;
      const tick = (t) => { frames.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else done(frames); };
      requestAnimationFrame(tick);
    }));
    out.compare_p95_frame_ms = +pct(r, 95).toFixed(1);
    console.log(`frame time of Compare at top speed, two 5-node clusters, steady client: p95 ${out.compare_p95_frame_ms} ms, median ${pct(r, 50).toFixed(1)} ms over ${r.length} frames (target p95 <= 16.7 ms)`);
    await context.close();
    console.log(JSON.stringify(out));
    process.exit(0);
  }
  if (process.env.LOADS_ONLY === '1') {
    console.log(JSON.stringify(out));
    process.exit(0);
  }
  }

  const { context, page, problems } = await guardedPage(browser);
  // BENCH_QUERY=?controls=… measures the frame time with only some panels (to find what costs).
  await page.goto(server.url + (process.env.BENCH_QUERY || ''));
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  // 9 nodes, Multi-Paxos, long latencies so many messages are on the wire (about 200: every message lives 240 to
  // 660 time units), a steady client, nine proposers, top speed.
  await page.fill('#nodes', '9');
  await page.selectOption('#mode', 'multi');
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  await page.fill('#lat-min', '240');
  await page.fill('#lat-max', '660');
  await page.getByRole('button', { name: 'Apply network settings' }).click();
  await page.getByRole('checkbox', { name: /Send a request every/ }).check();
  for (let i = 0; i < 9; i++) {
    await page.getByRole('textbox', { name: 'Value' }).fill('v' + i);
    await page.selectOption('#propose-node', String(i));
    await page.getByRole('button', { name: 'Propose', exact: true }).click();
  }
  // CHARTS=1: with the charts panel open (its worker replays the run's link every 500 ms while it plays).
  if (process.env.CHARTS === '1') await page.getByRole('button', { name: 'Show charts' }).click();
  await page.selectOption('#speed', '6');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(1500);
  if (process.env.FRAME_TRACE) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'] });
  const r = await page.evaluate(() => new Promise((done) => {
    const frames = []; const msgs = []; let last = performance.now(); const end = last + 4000;
    const tick = (t) => {
      frames.push(t - last); last = t;
      msgs.push(+(/(\d+) messages? in flight/.exec(document.querySelector('.clock').textContent) || [0, 0])[1]);
      if (t < end) requestAnimationFrame(tick); else done({ frames, msgs });
    };
    requestAnimationFrame(tick);
  }));
  if (process.env.FRAME_TRACE) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.FRAME_TRACE, await browser.stopTracing());
  }
  out.p95_frame_ms = +pct(r.frames, 95).toFixed(1);
  out.median_frame_ms = +pct(r.frames, 50).toFixed(1);
  out.messages_in_flight_median = pct(r.msgs, 50);
  // rAF timestamps are paced by the display's 16.7 ms refresh, so an on-time frame reads 16.6 to 16.8 ms; a frame
  // over 20 ms missed a refresh.
  out.frames_over_20ms_pct = +(100 * r.frames.filter((f) => f > 20).length / r.frames.length).toFixed(1);
  out.messages_in_flight_p5 = pct(r.msgs, 5);
  console.log(`frame time at top speed, 9 nodes, ${out.messages_in_flight_median} messages in flight (median; ${out.messages_in_flight_p5} to ${Math.max(...r.msgs)}): p95 ${out.p95_frame_ms} ms, median ${out.median_frame_ms} ms over ${r.frames.length} frames, ${out.frames_over_20ms_pct} % over 20 ms  (target p95 <= 16.7 ms)`);
  if (problems.console.length || problems.outside.length) console.log('  page problems:', problems);
  await context.close();
  if (!FRAME_ONLY) {

  // The benchmarks are in the second module (the Raft page's), so the Paxos page's first download carries none of
  // them; the Paxos simulator and engine they measure are the same code, built with the same profile.
  const { context: c2, page: p2 } = await guardedPage(browser);
  await p2.goto(server.url + '?protocol=raft');
  await p2.waitForSelector('.app:not(.picture) svg.cluster g.node');
  const wasm = await p2.evaluate(() => window.paxosBench(300000));
  out.wasm_deliveries_per_sec = Math.round(wasm.deliveries_per_sec);
  console.log(`simulator in wasm: ${out.wasm_deliveries_per_sec.toLocaleString('en')} deliveries/s (${wasm.deliveries} in ${wasm.ms.toFixed(0)} ms; 5-node Multi-Paxos, checker on)`);
  // Time travel (issue 4): seeks in a 120,000-moment run, and the link of a 1,000-action run.
  const travel = await p2.evaluate(() => window.paxosTravelBench());
  out.seek_100k_ms = +travel.seeks_ms[0].toFixed(2);
  out.seek_max_ms = +Math.max(...travel.seeks_ms).toFixed(2);
  out.link_chars_1000_actions = travel.link_chars_1000_actions;
  console.log(`time travel in wasm: seek to moment 100,000 of ${travel.moments.toLocaleString('en')}: ${out.seek_100k_ms} ms; slowest of ${travel.seeks_ms.length} seeks ${out.seek_max_ms} ms (target <= 50 ms); ${travel.checkpoints} checkpoints; the run played in ${travel.play_ms.toFixed(0)} ms`);
  console.log(`link to a run of 1,000 actions: ${out.link_chars_1000_actions} characters`);
  await c2.close();

  // Check every future of a fresh run where nodes 0 and 2 have just proposed, while the page plays at top speed.
  const { context: c3, page: p3 } = await guardedPage(browser);
  await p3.goto(server.url + '#run=' + FRESH_TWO_PROPOSALS);
  await p3.waitForSelector('.app:not(.picture) svg.cluster g.node');
  const t0 = Date.now();
  await p3.getByRole('button', { name: 'Check every future' }).click();
  await p3.waitForFunction(() => /^Explored [\d,]+ states so far/.test(document.querySelector('#check-detail')?.textContent ?? ''));
  await p3.selectOption('#speed', '6');
  await p3.getByRole('button', { name: 'Play' }).click();
  const during = await p3.evaluate(() => new Promise((done) => {
    const frames = []; let last = performance.now(); const end = last + 3000;
    const tick = (t) => { frames.push(t - last); last = t; if (t < end) requestAnimationFrame(tick); else done(frames); };
    requestAnimationFrame(tick);
  }));
  await p3.getByRole('button', { name: 'Pause' }).click();
  await p3.waitForFunction(() => document.querySelector('#check-result')?.getAttribute('aria-busy') === 'false', null, { timeout: 600000 });
  const seconds = (Date.now() - t0) / 1000;
  const said = await p3.locator('#check-result').innerText();
  const states = Number((/([\d,]+) states/.exec(said) || [0, '0'])[1].replace(/,/g, ''));
  out.check_states = states;
  out.check_seconds = +seconds.toFixed(1);
  out.check_complete = /complete, no violation/.test(said);
  out.check_worker_states_per_sec = Math.round(states / seconds);
  out.check_p95_frame_ms = +pct(during, 95).toFixed(1);
  console.log(`check every future of a fresh run with two proposals, in the worker: ${states.toLocaleString('en')} states in ${out.check_seconds} s (${out.check_worker_states_per_sec.toLocaleString('en')} states/s), ${out.check_complete ? 'complete' : 'not complete: ' + said}`);
  console.log(`frame time while it runs, playing at top speed: p95 ${out.check_p95_frame_ms} ms over ${during.length} frames (target <= 16.7 ms)`);
  await c3.close();
  }
} finally {
  await browser.close();
  await server.close();
  await cached.close();
}

if (process.env.SKIP_NATIVE !== '1' && !FRAME_ONLY && out.check_states) {
  // The same search natively, bounded at the states the worker reached (exit code 1 when truncated: read its output).
  const args = ['run', '--quiet', '--release', '-p', 'paxos-cli', '--', 'check', '--link', FRESH_TWO_PROPOSALS, '--max-depth', '0',
    '--max-states', String(Math.max(out.check_states, 1000)), '--json'];
  let text;
  try { text = execFileSync('cargo', args, { cwd: ROOT, encoding: 'utf8' }); } catch (e) { text = e.stdout; }
  const native = JSON.parse(text.trim().split('\n').pop());
  out.check_native_states_per_sec = Math.round(native.unique_states_per_sec);
  console.log(`the same check natively: ${native.unique_states.toLocaleString('en')} states at ${out.check_native_states_per_sec.toLocaleString('en')} states/s → worker/native = ${(out.check_worker_states_per_sec / out.check_native_states_per_sec).toFixed(2)} (target >= 0.5)`);
}
if (process.env.SKIP_NATIVE !== '1' && !FRAME_ONLY) {
  const json = execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'paxos-cli', '--', 'bench', '--json', '--deliveries', '2000000', '--schedules', '2000'], { cwd: ROOT, encoding: 'utf8' });
  const native = JSON.parse(json.trim().split('\n').pop());
  out.native_deliveries_per_sec = Math.round(native.deliveries_per_sec);
  console.log(`simulator native: ${out.native_deliveries_per_sec.toLocaleString('en')} deliveries/s  → wasm/native = ${(out.wasm_deliveries_per_sec / out.native_deliveries_per_sec).toFixed(2)}`);
}
console.log(JSON.stringify(out));
