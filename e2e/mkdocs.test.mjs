// Figures in a real MkDocs Material site: docs/mkdocs-example/ (built by scripts/mkdocs.sh into its site/, with the
// playground's dist/ in site/playground/), served under a sub-path as a project site is. Its pages hold two
// `<paxos-figure>` elements and load figures.js with one `extra_javascript` line. Checked: each figure draws its
// nodes and steps with Next, one wasm download for both; the site's root font size, heading size, prose colour and
// header look the same with and without the figures, in Material's light and dark palettes; Material's keys (`n`
// turns the page) still work outside a figure and stop at a figure that uses them; the palette toggle switches the
// `theme="inherit"` figure and not the `theme="light"` one; no console error and no request leaving 127.0.0.1.
// Screenshots land in screenshots/mkdocs-*.png. Run: scripts/mkdocs.sh && node --test e2e/mkdocs.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDirs, launch, ROOT, SHOTS, sleep, until, openDocPage, closeDocPage, drawnFigures, figureMoment, stepWithNext,
  hostLook,
} from './helpers.mjs';

const SITE = process.env.MKDOCS_SITE || join(ROOT, 'docs/mkdocs-example/site');
const SUB = '/some/sub/path/';
let server;
let browser;

before(async () => {
  if (!existsSync(join(SITE, 'playground/figures.js'))) {
    throw new Error(`no built site with its playground in ${SITE}: run scripts/mkdocs.sh first`);
  }
  mkdirSync(SHOTS, { recursive: true });
  server = await serveDirs([[SUB, SITE]]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (path = '') => new URL(`${SUB}${path}`, server.url).href;
const open = (path, options) => openDocPage(browser, url(path), options);

const LOOK = {
  rootFont: ['html', 'fontSize'], bodyFont: ['body', 'fontFamily'], heading: ['.md-typeset h1', 'fontSize'],
  headingColour: ['.md-typeset h1', 'color'], prose: ['.md-typeset p', 'color'], proseSize: ['.md-typeset', 'fontSize'],
  background: ['body', 'backgroundColor'], header: ['.md-header', 'backgroundColor'], nav: ['.md-nav', 'fontSize'],
};

/** Switches Material's palette with its toggle in the header, as a reader does. */
async function palette(page, scheme) {
  if (await page.evaluate(() => document.body.dataset.mdColorScheme) === scheme) return;
  await page.locator('label[for^="__palette"]:visible').click();
  await until(async () => (await page.evaluate(() => document.body.dataset.mdColorScheme)) === scheme, `palette ${scheme}`);
}

/** The theme class of a figure's app: theme-light, theme-dark, … */
const theme = async (fig) => (await fig.locator('.app').getAttribute('class')).match(/theme-\w+/)[0];

test('each figure draws its nodes and steps with Next, one wasm download for the page', async () => {
  const g = await open('');
  const figs = await drawnFigures(g.page, 2);
  for (const [i, fig] of figs.entries()) await stepWithNext(fig, `figure ${i}`);
  assert.equal(g.wasm, 1, 'one wasm download for two figures');
  await closeDocPage(g, 'mkdocs-figures.png');
  // The page without figures loads figures.js too (extra_javascript is on every page) and downloads nothing more.
  const other = await open('failures/');
  await other.page.locator('.md-typeset h1').waitFor();
  await sleep(300);
  assert.equal(other.wasm, 0, 'no wasm on a page without figures');
  await closeDocPage(other);
});

for (const scheme of ['default', 'slate']) {
  test(`palette ${scheme}: the site looks the same with and without the figures`, async () => {
    const without = await open('', { figures: false });
    await palette(without.page, scheme);
    const plain = await hostLook(without.page, LOOK);
    await closeDocPage(without);
    const g = await open('');
    await drawnFigures(g.page, 2);
    await palette(g.page, scheme);
    await sleep(300);
    assert.deepEqual(await hostLook(g.page, LOOK), plain, `the site's look in ${scheme}`);
    assert.equal(plain.rootFont, '20px', "Material's root font (125 %) is kept");
    await closeDocPage(g, scheme === 'slate' ? 'mkdocs-slate.png' : null);
  });
}

test("Material's keys: n in a figure steps the figure; outside the figures it turns the page", async () => {
  const g = await open('');
  const [fig] = await drawnFigures(g.page, 2);
  await fig.locator('[id$="tour-next"]').focus();
  const before = await figureMoment(fig);
  await g.page.keyboard.press('n');
  await until(async () => (await figureMoment(fig)) > before, 'n plays the focused figure\'s next stage', 5000);
  await sleep(500); // a page turn would have started by now
  assert.equal(g.page.url(), url(''), 'the page did not turn');
  await g.page.locator('.md-typeset h1').click();
  await g.page.keyboard.press('n');
  await g.page.waitForURL(url('failures/'));
  await closeDocPage(g);
});

test("Material's palette toggle switches the inherit figure, and only that one", async () => {
  const g = await open('');
  const [inherit, light] = await drawnFigures(g.page, 2);
  assert.deepEqual([await theme(inherit), await theme(light)], ['theme-light', 'theme-light']);
  await palette(g.page, 'slate');
  await until(async () => (await theme(inherit)) === 'theme-dark', 'the inherit figure turns dark', 5000);
  assert.equal(await theme(light), 'theme-light', 'the light figure keeps its theme');
  await g.page.screenshot({ path: join(SHOTS, 'mkdocs-palette-slate.png'), fullPage: true });
  await palette(g.page, 'default');
  await until(async () => (await theme(inherit)) === 'theme-light', 'and light again', 5000);
  await closeDocPage(g);
});
