// The first screen in the HTML (issue 21): the page and each mdbook-paxos figure carry a picture of themselves,
// rendered at build time by the app's own components (web/src/prerender.rs). With JavaScript off every node of the
// page's first screen and of a book figure is painted (and in print.html); with it on, the picture shows while the
// wasm is on its way and the app takes its place without moving a node.
// Run: scripts/build.sh && scripts/book.sh && node --test e2e/first-screen.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveDirs, launch, ROOT, DIST } from './helpers.mjs';

const BOOK = process.env.BOOK_DIR || join(ROOT, 'docs/book/book');
let server;
let browser;

before(async () => {
  if (!existsSync(join(BOOK, 'print.html'))) throw new Error(`no built book in ${BOOK}: run scripts/book.sh first`);
  server = await serveDirs([['/playground/', DIST], ['/book/', BOOK]]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (path) => new URL(path, server.url).href;

/** The painted nodes of the pictures on the page: each node disc with a box, in the light DOM (a picture is never
 * in a shadow root). */
const paintedPictureNodes = (page) => page.evaluate(() => [...document.querySelectorAll('.app.picture svg.cluster g.node .disc')]
  .map((d) => d.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0).length);

for (const [width, height] of [[1280, 720], [390, 844]]) {
  test(`with JavaScript off the page's first screen paints every node (${width}x${height})`, async () => {
    const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url('/playground/'));
    assert.equal(await paintedPictureNodes(page), 3, 'three nodes, drawn once (wide or narrow, as the app would)');
    assert.match(await page.locator('.app.picture .moment').innerText(), /moment 0 \/ 0/);
    assert.ok(await page.locator('noscript').count(), 'says what is missing');
    await context.close();
  });
}

/** Opens `path` with the wasm held back until `release()` is called. */
async function heldBack(path, viewport) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(/paxos-web_bg\.wasm$/, async (route) => { await held; await route.continue().catch(() => {}); });
  await page.goto(url(path));
  return { context, page, release };
}

const discs = (page, root) => page.evaluate((root) => {
  const scope = root ? document.querySelector(root)?.shadowRoot ?? document.querySelector(root) : document;
  return [...scope.querySelectorAll('svg.cluster g.node .disc')].map((d) => d.getBoundingClientRect())
    .filter((r) => r.width > 0).map((r) => [Math.round(r.x), Math.round(r.y), Math.round(r.width)]);
}, root);

test('the page shows its picture before the wasm and the app replaces it without moving a node', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    const { context, page, release } = await heldBack('/playground/', viewport);
    await page.locator('.app.picture svg.cluster g.node').first().waitFor({ state: 'attached' });
    const before = await discs(page);
    assert.equal(before.length, 3, `the picture's nodes are painted at ${viewport.width} px`);
    release();
    await page.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
    assert.equal(await page.locator('.app.picture').count(), 0, 'the picture is gone');
    assert.deepEqual(await discs(page), before, `every node where the picture had it (${viewport.width} px)`);
    await context.close();
  }
});

test('an address that asks for another run fades the picture until the app starts', async () => {
  const { context, page, release } = await heldBack('/playground/?scenario=dueling', { width: 1280, height: 720 });
  await page.waitForFunction(() => document.getElementById('app').classList.contains('stale'));
  release();
  await page.locator('.app:not(.picture) .lesson').waitFor();
  assert.equal(await page.getAttribute('#app', 'class'), 'paxos-playground', 'shown at full strength again');
  await context.close();
});

test('with JavaScript off a book figure and print.html show their pictures', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('/book/introduction.html'));
  const figures = await page.locator('paxos-figure').count();
  assert.ok(figures >= 1);
  assert.equal(await paintedPictureNodes(page), 3 * figures, 'every node of every figure');
  await page.goto(url('/book/print.html'));
  const all = await page.locator('paxos-figure').count();
  assert.ok(all >= 4, `print.html holds the book's figures (${all})`);
  await page.emulateMedia({ media: 'print' });
  assert.ok(await paintedPictureNodes(page) >= 3 * all, 'each figure paints its nodes in print');
  await context.close();
});

test('a book figure keeps its picture until the playground has drawn, then the picture goes', async () => {
  const { context, page, release } = await heldBack('/book/introduction.html', { width: 1280, height: 900 });
  const figure = page.locator('paxos-figure').first();
  await figure.locator('.app.picture svg.cluster g.node').first().waitFor({ state: 'attached' });
  const height = (await figure.boundingBox()).height;
  assert.ok(height > 300, `the picture has the figure's height (${height})`);
  release();
  await figure.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('paxos-figure .paxos-static'));
  const after = (await figure.boundingBox()).height;
  assert.ok(Math.abs(after - height) <= 4, `the figure's height stays (${height} → ${after})`);
  await context.close();
});
