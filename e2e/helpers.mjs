// Shared helpers for the end-to-end tests and the benchmark: a static server for dist/ on 127.0.0.1, Debian's
// Chromium through playwright-core (never a browser download), and a guard that fails on console errors and on
// any request leaving 127.0.0.1.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { mkdirSync } from 'node:fs';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = process.env.DIST_DIR || join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** Serves dist/ under a sub-path (`/sub/path/`), as a project site on a static host would, with gzip when asked.
 * Returns { url, close, bytes } where bytes counts the body bytes sent. */
export async function serveDist({ prefix = '/playground/', headers = {} } = {}) {
  return serveDirs([[prefix, DIST]], { headers });
}

/** Serves folders under URL prefixes (`[['/sub/path/host/playground/', DIST], ['/sub/path/', BOOK]]`, the first
 * matching prefix wins), the way serveDist serves dist/. Returns { url (the first prefix's), close, sent }. */
export async function serveDirs(routes, { headers: extra = {} } = {}) {
  const sent = { bytes: 0 };
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const route = routes.find(([prefix]) => path.startsWith(prefix));
      if (!route) { res.writeHead(404); res.end('not found'); return; }
      const [prefix, dir] = route;
      let rel = path.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      rel = normalize(rel);
      const file = join(dir, rel);
      if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
      const st = await stat(file);
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store', ...extra };
      if ((req.headers['accept-encoding'] || '').includes('gzip')) {
        // Compressed once per file version, as a static host serves precompressed or cached files: compressing the
        // wasm at level 9 on every request added tens of milliseconds to the measured load time.
        const key = `${file}:${st.mtimeMs}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        headers['content-encoding'] = 'gzip';
      }
      sent.bytes += body.length;
      res.writeHead(200, headers); res.end(body);
    } catch { res.writeHead(404); res.end('not found'); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${routes[0][0]}`, close: () => new Promise((ok) => server.close(ok)), sent };
}

/** The Content-Security-Policy docs/hosting.md gives (no 'unsafe-inline' anywhere), which the page must run under. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

export const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export async function launch() {
  return chromium.launch(LAUNCH);
}

/** A test file's shared setup: dist/ served on 127.0.0.1 and one Chromium, both started before the file's tests and
 * closed after them. The returned object's `server` and `browser` are set once the tests run. */
export function browserSuite() {
  const suite = { server: null, browser: null };
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    suite.server = await serveDist();
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/** A page that records console errors (and deprecation warnings), page errors and every request that does not go to
 * 127.0.0.1 (those are aborted). */
export async function guardedPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  const problems = { console: [], outside: [] };
  // Errors, and warnings from our own code and its glue (a worker's wasm-bindgen loader called the old way printed
  // "using deprecated parameters for the initialization function" each time it started).
  page.on('console', (m) => {
    if (m.type() === 'error' || (m.type() === 'warning' && /deprecated/i.test(m.text()))) problems.console.push(m.text());
  });
  page.on('pageerror', (e) => problems.console.push(String(e)));
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.hostname === '127.0.0.1') return route.continue();
    problems.outside.push(route.request().url());
    return route.abort();
  });
  return { context, page, problems };
}

/** Types `value` into the Value field and proposes it at node `at` ('' lets the page choose). */
export async function propose(page, value, at = '') {
  await page.getByRole('textbox', { name: 'Value' }).fill(value);
  await page.selectOption('#propose-node', at);
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
}

/** Chooses a speed (an index into the speed list) and presses Play. */
export async function play(page, speed = '5') {
  await page.selectOption('#speed', speed);
  await page.getByRole('button', { name: 'Play' }).click();
}

// Figures in documentation sites (e2e/book.test.mjs, e2e/mkdocs.test.mjs): opening a page, waiting for its figures,
// stepping them and reading the look of the page around them.

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until `check()` holds, failing with `what` after `timeout` ms. */
export async function until(check, what, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeout) assert.fail(`timed out: ${what}`);
    await sleep(100);
  }
}

/** Opens a documentation page with the guard of guardedPage. `figures: false` answers the figure scripts empty (the
 * page as it would be without figures); `init(arg)` runs in the page before its scripts. Counts wasm downloads. */
export async function openDocPage(browser, url, { figures = true, viewport = { width: 1280, height: 900 }, init, arg } = {}) {
  const g = await guardedPage(browser, { viewport, reducedMotion: 'reduce' });
  g.wasm = 0;
  g.page.on('request', (r) => { if (r.url().endsWith('.wasm')) g.wasm += 1; });
  if (init) await g.context.addInitScript(init, arg);
  if (!figures) {
    await g.context.route(/(paxos-figures[^/]*|figures)\.js$/, (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  }
  await g.page.goto(url);
  return g;
}

/** Checks a page's guard (no console error, no request leaving 127.0.0.1) and closes it, after a screenshot. */
export async function closeDocPage(g, shot) {
  if (shot) await g.page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  assert.deepEqual(g.problems.console, [], 'no console errors');
  assert.deepEqual(g.problems.outside, [], 'no request leaves 127.0.0.1');
  await g.context.close();
}

/** The figures of a page: `<paxos-figure>` elements and `data-paxos` ones. */
export const FIGURES = 'paxos-figure, [data-paxos]';

/** Waits until every figure of the page has drawn its nodes; returns the figures' locators. */
export async function drawnFigures(page, expected) {
  const figs = page.locator(FIGURES);
  assert.equal(await figs.count(), expected, 'the page holds its figures');
  const all = [];
  for (let i = 0; i < expected; i++) {
    const fig = figs.nth(i);
    await fig.locator('.app:not(.picture) svg.cluster g.node').first().waitFor({ timeout: 30000 });
    assert.ok(await fig.locator('.app:not(.picture) svg.cluster g.node').count() >= 3, `figure ${i} draws its nodes`);
    assert.equal(await fig.locator('.app:not(.picture)').count(), 1, `figure ${i} is mounted once`);
    all.push(fig);
  }
  return all;
}

/** The moment a figure shows (its timeline slider). */
export const figureMoment = async (fig) => Number(await fig.locator('input[type=range]').first().inputValue());

/** Presses the figure's Next (or Step, for a cluster without a scenario) and waits for its moment to move on. */
export async function stepWithNext(fig, what) {
  const before = await figureMoment(fig);
  const next = fig.locator('[id$="tour-next"]');
  if (await next.count()) await next.click();
  else await fig.locator('[id$="-step"]').click();
  await until(async () => (await figureMoment(fig)) > before, `${what}: Next moves the figure on from moment ${before}`);
}

/** The computed look of the page around the figures: `{ name: [selector, property] }` to each value. */
export const hostLook = (page, sel) => page.evaluate((sel) => {
  const css = (s, p) => { const e = document.querySelector(s); return e ? getComputedStyle(e)[p] : `no ${s}`; };
  const out = {};
  for (const [name, [s, p]] of Object.entries(sel)) out[name] = css(s, p);
  return out;
}, sel);
