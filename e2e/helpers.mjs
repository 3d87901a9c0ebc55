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
