// Figures inside real documentation: the example mdBook (docs/book/, built by scripts/book.sh with the mdbook-paxos
// preprocessor) served under a sub-path as a project site is, and a plain HTML page whose CSS styles table, button,
// .row and h2 hard (e2e/fixtures/host/). On each: every figure draws its nodes and steps with Next; the page's
// root font size, a heading's size and the prose colour are the same with and without the figures (in mdBook's
// light and coal themes); → with a figure focused steps the figure and does not reach the page (no chapter turn);
// `inherit` figures follow mdBook's theme menu; print.html shows every figure once; one wasm download per page; no
// console error and no request leaving 127.0.0.1. Screenshots land in screenshots/book-*.png.
// Run: scripts/book.sh && node --test e2e/book.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  serveDirs, launch, ROOT, DIST, SHOTS, sleep, until, openDocPage, closeDocPage, drawnFigures, figureMoment, stepWithNext,
  hostLook,
} from './helpers.mjs';

const BOOK = process.env.BOOK_DIR || join(ROOT, 'docs/book/book');
const HOST = join(ROOT, 'e2e/fixtures/host');
const SUB = '/some/sub/path/';
let server;
let browser;

before(async () => {
  if (!existsSync(join(BOOK, 'print.html'))) throw new Error(`no built book in ${BOOK}: run scripts/book.sh first`);
  mkdirSync(SHOTS, { recursive: true });
  // The first matching prefix wins: the host page's playground/ is dist/, everything else under SUB the book.
  server = await serveDirs([[`${SUB}host/playground/`, DIST], [`${SUB}host/`, HOST], [SUB, BOOK]]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (path) => new URL(`${SUB}${path}`, server.url).href;

/** The built chapters that hold figures, with how many each holds (from the HTML mdBook wrote; index.html is a copy
 * of the first chapter). */
function chaptersWithFigures() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'playground') walk(p);
      } else if (e.name.endsWith('.html') && !['print.html', '404.html', 'toc.html'].includes(e.name)
        && !(dir === BOOK && e.name === 'index.html')) {
        const n = (readFileSync(p, 'utf8').match(/<paxos-figure[ >]/g) || []).length;
        if (n) out.push({ path: relative(BOOK, p).split('\\').join('/'), figures: n });
      }
    }
  };
  walk(BOOK);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Opens a page of the book; `theme` is mdBook's (kept in localStorage). */
const open = (path, { theme = null, ...rest } = {}) => openDocPage(browser, url(path), {
  ...rest,
  arg: theme,
  init: (theme) => {
    if (theme) localStorage.setItem('mdbook-theme', theme);
    window.print = () => {}; // print.html prints itself on load
  },
});
const close = closeDocPage;
const drawn = drawnFigures;
const moment = figureMoment;

const BOOK_LOOK = {
  rootFont: ['html', 'fontSize'], bodyFont: ['body', 'fontFamily'], heading: ['main h1', 'fontSize'],
  headingColour: ['main h1', 'color'], prose: ['main p', 'color'], background: ['body', 'backgroundColor'],
  sidebar: ['.sidebar', 'fontSize'],
};
const HOST_LOOK = {
  rootFont: ['html', 'fontSize'], h2: ['h2', 'fontSize'], h2Colour: ['h2', 'color'], prose: ['p', 'color'],
  table: ['table', 'borderTopWidth'], button: ['#host-button', 'backgroundColor'], row: ['.row', 'display'],
  font: ['body', 'fontFamily'],
};

test('every chapter with figures: each figure draws its nodes and steps with Next, one wasm download a page', async () => {
  const chapters = chaptersWithFigures();
  assert.ok(chapters.length >= 4, `the book has chapters with figures: ${JSON.stringify(chapters)}`);
  assert.ok(chapters.some((c) => c.path.includes('/')), 'a nested chapter in a subfolder');
  assert.ok(chapters.some((c) => c.figures >= 2), 'a page with two figures');
  for (const { path, figures } of chapters) {
    const g = await open(path);
    const figs = await drawn(g.page, figures);
    for (const [i, fig] of figs.entries()) await stepWithNext(fig, `${path} figure ${i}`);
    assert.equal(g.wasm, 1, `${path}: one wasm download for ${figures} figure(s)`);
    await close(g, `book-${path.replace(/[/.]/g, '-')}.png`);
  }
});

for (const theme of ['light', 'coal']) {
  test(`mdBook ${theme}: the root font size, headings and prose look the same with and without the figures`, async () => {
    for (const { path, figures } of chaptersWithFigures()) {
      const without = await open(path, { theme, figures: false });
      const plain = await hostLook(without.page, BOOK_LOOK);
      await close(without);
      const g = await open(path, { theme });
      await drawn(g.page, figures);
      assert.deepEqual(await hostLook(g.page, BOOK_LOOK), plain, `${path} in ${theme}`);
      await close(g, theme === 'coal' && path.includes('dueling') ? 'book-coal-dueling.png' : null);
    }
  });
}

test('→ with a figure focused steps the figure and does not turn the chapter', async () => {
  const path = 'safety/dueling.html';
  const g = await open(path);
  const [fig] = await drawn(g.page, 2);
  await fig.locator('[id$="tour-next"]').focus();
  const before = await moment(fig);
  await g.page.keyboard.press('ArrowRight');
  await until(async () => (await moment(fig)) > before, '→ steps the focused figure', 5000);
  await sleep(500); // a chapter turn would have started by now
  assert.equal(g.page.url(), url(path), 'the chapter did not change');
  await g.page.keyboard.press('ArrowLeft');
  await sleep(500);
  assert.equal(g.page.url(), url(path), '← did not change the chapter either');
  // Outside the figures the book's own keys still work.
  await g.page.locator('main h1').click();
  await g.page.keyboard.press('ArrowRight');
  await g.page.waitForURL((u) => u.href !== url(path));
  await close(g);
});

test("switching mdBook's theme switches the inherit figures, and only those", async () => {
  const g = await open('safety/dueling.html', { theme: 'light' });
  const [inherit, light] = await drawn(g.page, 2);
  const colours = async () => Promise.all([inherit, light].map((f) => f.locator('[id$="narration"]').first()
    .evaluate((e) => `${getComputedStyle(e).color} on ${getComputedStyle(e.closest('.app') || e).backgroundColor}`)));
  const [inLight, lightInLight] = await colours();
  await g.page.locator('#mdbook-theme-toggle').click();
  await g.page.locator('#mdbook-theme-coal').click();
  await until(async () => (await g.page.evaluate(() => document.documentElement.className)).includes('coal'), 'coal is on');
  await sleep(300);
  const [inCoal, lightInCoal] = await colours();
  await g.page.screenshot({ path: join(SHOTS, 'book-theme-switched-to-coal.png'), fullPage: true });
  assert.notEqual(inCoal, inLight, 'the inherit figure changed with the book');
  assert.equal(lightInCoal, lightInLight, 'the light figure kept its theme');
  await close(g);
});

test('print.html shows every figure once', async () => {
  const total = chaptersWithFigures().reduce((n, c) => n + c.figures, 0);
  const g = await open('print.html');
  await drawn(g.page, total);
  // A Compare figure draws two clusters; each build the figures need is downloaded once (the Raft chapter's figures
  // are the second build's).
  const compares = await g.page.locator('paxos-figure[compare]').count();
  assert.ok(compares >= 1, 'the book has a Compare figure');
  assert.equal(await g.page.locator('svg.cluster').count(), total + compares, 'one drawing per figure, two for Compare');
  assert.equal(g.wasm, 2, 'one wasm download per build for the whole print page');
  await close(g, 'book-print.png');
});

test('a plain HTML host with aggressive CSS: figures draw and step, the host keeps its look and its keys', async () => {
  const without = await open('host/', { figures: false });
  const plain = await hostLook(without.page, HOST_LOOK);
  await close(without);
  const g = await open('host/');
  const figs = await drawn(g.page, 2);
  assert.deepEqual(await hostLook(g.page, HOST_LOOK), plain, 'the host looks the same with the figures');
  // The host's rules for button, table, .row and h2 do not reach into the figures.
  const next = figs[0].locator('[id$="tour-next"]');
  const look = await next.evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, size: getComputedStyle(b).fontSize }));
  assert.notEqual(look.bg, 'rgb(255, 105, 180)', "the figure's button is not the host's hot pink");
  assert.notEqual(look.size, '30px', "the figure's button keeps its own size");
  for (const [i, fig] of figs.entries()) await stepWithNext(fig, `host figure ${i}`);
  await next.focus();
  const before = await moment(figs[0]);
  await g.page.keyboard.press('ArrowRight');
  await until(async () => (await moment(figs[0])) > before, '→ steps the focused figure', 5000);
  assert.equal(await g.page.locator('#arrows').innerText(), '0', 'the page did not see the arrow key');
  assert.equal(g.wasm, 1, 'one wasm download for two figures');
  await close(g, 'book-host.png');
});
