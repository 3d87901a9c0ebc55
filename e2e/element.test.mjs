// `<paxos-figure>` (web/figures.js): its attributes are the options, in the text of their URL parameters; the page's
// own attributes (class, style, aria-*, data-*) are left alone; a changed attribute updates the figure (a theme
// alone keeps the run); removing the element frees its playground, and a moved or re-added one works; a bad
// attribute shows the parser's message in place; two on one page are independent; and one inside another
// component's shadow root works and follows the page's theme. Run: node --test e2e/element.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, SHOTS, until } from './helpers.mjs';

const suite = browserSuite();

/** A page holding `body` and figures.js, served beside the playground. */
async function open(body, css = '') {
  const g = await guardedPage(suite.browser, { viewport: { width: 1000, height: 900 } });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>paxos-figure</title>
    <style>body { font: 16px/1.5 Georgia, serif; margin: 16px; } ${css}</style></head>
    <body>${body}<script src="figures.js"></script></body></html>`;
  await g.page.route('**/element-test.html', (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await g.page.goto(`${suite.server.url}element-test.html`);
  return g;
}

async function close(g, shot) {
  if (shot) await g.page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  assert.deepEqual(g.problems.console, [], 'no console errors');
  await g.context.close();
}

const fig = (page, id) => page.locator(`#${id}`);
const drawn = (page, id) => fig(page, id).locator('.app:not(.picture) svg.cluster g.node').first().waitFor({ timeout: 30000 });
const moment = async (page, id) => Number(await fig(page, id).locator('input[type=range]').first().inputValue());
const theme = async (page, id) => (await fig(page, id).locator('.app').getAttribute('class')).match(/theme-\w+/)[0];
const title = (page, id) => fig(page, id).locator('[id$=lesson-title]').innerText();
const alert = (page, id) => fig(page, id).locator('[role=alert]');
/** Presses a figure's Next and waits until its stage has played (the run paused again past moment 0). */
async function next(page, id) {
  await fig(page, id).locator('[id$=tour-next]').click();
  await until(async () => (await moment(page, id)) > 0, `Next plays ${id}'s stage`);
  await fig(page, id).locator('.app[data-playing=false]').waitFor();
}
const el = (page, id, f, arg) => page.evaluate(([id, f, arg]) => new Function('el', 'arg', f)(document.getElementById(id), arg), [id, f, arg]);

test('attributes are the options; the page\'s own attributes are left alone', async () => {
  const g = await open(`
    <paxos-figure id="a" scenario="dueling" controls="time,timeline,outcome" theme="dark" moment="3"
      class="figure" style="margin: 8px 0" aria-label="Dueling proposers" data-note="mine" title="A figure"></paxos-figure>
    <paxos-figure id="b" nodes="5" mode="multi" seed="7" autoplay></paxos-figure>`);
  const { page } = g;
  await drawn(page, 'a');
  await drawn(page, 'b');
  assert.equal(await title(page, 'a'), 'Dueling proposers');
  assert.equal(await theme(page, 'a'), 'theme-dark');
  assert.equal(await moment(page, 'a'), 3, 'moment="3"');
  assert.equal(await fig(page, 'a').locator('[id$="-step"]').count(), 1, 'controls="time,…": the time panel');
  assert.equal(await fig(page, 'a').locator('[id$="-propose"]').count(), 0, 'and not the propose panel');
  assert.equal(await fig(page, 'b').locator('.app:not(.picture) svg.cluster g.node').count(), 5, 'nodes="5"');
  await fig(page, 'b').locator('.app[data-playing=true]').waitFor({ timeout: 5000 }); // autoplay, a flag with no value
  assert.equal(await el(page, 'a', 'return typeof el.paxosPlayground.play'), 'function', 'the handle is on the element');
  assert.equal(await alert(page, 'a').count(), 0);
  await close(g, 'element-attributes.png');
});

test('a changed attribute updates the figure; a theme alone keeps the run', async () => {
  const g = await open('<paxos-figure id="a" scenario="dueling" theme="light"></paxos-figure>');
  const { page } = g;
  await drawn(page, 'a');
  await next(page, 'a');
  const at = await moment(page, 'a');
  await el(page, 'a', "el.setAttribute('theme', 'dark')");
  await fig(page, 'a').locator('.app.theme-dark').waitFor();
  assert.equal(await moment(page, 'a'), at, 'the run and the moment are kept');
  // Two changes in one task: one new figure with both.
  await el(page, 'a', "el.setAttribute('scenario', 'partition'); el.setAttribute('moment', '2')");
  await until(async () => (await title(page, 'a')).length && (await title(page, 'a')) !== 'Dueling proposers', 'the new scenario');
  assert.equal(await moment(page, 'a'), 2);
  assert.equal(await theme(page, 'a'), 'theme-dark', 'the theme attribute still holds');
  assert.equal(await fig(page, 'a').locator('.app').count(), 1, 'one figure, the new one');
  await el(page, 'a', "el.removeAttribute('scenario'); el.removeAttribute('moment'); el.setAttribute('nodes', '4')");
  await until(async () => (await fig(page, 'a').locator('.app:not(.picture) svg.cluster g.node').count()) === 4, 'nodes="4"');
  await close(g, 'element-changed.png');
});

test('removing the element frees its playground; a moved one keeps it, a re-added one mounts again', async () => {
  const g = await open(`<div id="list"><p id="before">Before.</p>
    <paxos-figure id="a" scenario="dueling"></paxos-figure></div>`);
  const { page } = g;
  await drawn(page, 'a');
  await next(page, 'a');
  const at = await moment(page, 'a');
  // A framework reordering a list moves the element out and in within one task: the figure stays as it was.
  await el(page, 'a', "window.app = el.shadowRoot.querySelector('.app'); document.getElementById('before').before(el)");
  await page.waitForTimeout(200);
  assert.equal(await moment(page, 'a'), at, 'a moved figure keeps its run');
  assert.ok(await el(page, 'a', "return el.shadowRoot.querySelector('.app') === window.app"), 'the same app');
  // Removed: the app is destroyed, its shadow root emptied, its handle freed in the wasm.
  const gone = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const handle = el.paxosPlayground;
    window.removed = el;
    el.remove();
    await new Promise((r) => setTimeout(r, 100));
    return { children: el.shadowRoot.childElementCount, handle: el.paxosPlayground, freed: handle.__wbg_ptr === 0 };
  });
  assert.deepEqual(gone, { children: 0, handle: null, freed: true });
  // The same element added again mounts a new figure, at the start of its scenario.
  await page.evaluate(() => document.getElementById('list').append(window.removed));
  await drawn(page, 'a');
  assert.equal(await moment(page, 'a'), 0);
  // And a new one beside it.
  await page.evaluate(() => {
    const again = document.createElement('paxos-figure');
    again.id = 'b';
    again.setAttribute('scenario', 'dueling');
    document.getElementById('list').append(again);
  });
  await drawn(page, 'b');
  assert.equal(await moment(page, 'b'), 0);
  await close(g);
});

test('a bad attribute shows the parser\'s message in place, naming it; mending it draws the figure', async () => {
  const g = await open(`
    <paxos-figure id="a" scenario="duel"></paxos-figure>
    <paxos-figure id="b" senario="dueling"></paxos-figure>
    <paxos-figure id="c" autoplay="maybe"></paxos-figure>
    <paxos-figure id="d" scenario="dueling" nodes="5"></paxos-figure>
    <paxos-figure id="e" scenario="happy-path"></paxos-figure>`);
  const { page } = g;
  await drawn(page, 'e');
  const says = async (id, re) => {
    await alert(page, id).waitFor();
    assert.match(await alert(page, id).innerText(), re, id);
    assert.equal(await fig(page, id).locator('svg.cluster').count(), 0, `${id} draws nothing`);
  };
  await says('a', /^Paxos figure: option `scenario`: no scenario “duel”; the scenarios are happy-path, /);
  await says('b', /^Paxos figure: unknown attribute `senario`; the attributes are embed, scenario, /);
  await says('c', /^Paxos figure: attribute `autoplay` must be true or false, not “maybe”/);
  await says('d', /^Paxos figure: option `nodes` cannot be combined with `scenario`/);
  await page.screenshot({ path: join(SHOTS, 'element-bad-attributes.png'), fullPage: true });
  // Mended: the message goes and the figure draws.
  await el(page, 'a', "el.setAttribute('scenario', 'dueling')");
  await drawn(page, 'a');
  assert.equal(await alert(page, 'a').count(), 0);
  // Broken later: the running figure gives way to the message (a theme too, though a theme alone keeps the run).
  await el(page, 'e', "el.setAttribute('theme', 'pink')");
  await says('e', /^Paxos figure: attribute `theme` must be light, dark, auto or inherit, not “pink”/);
  await el(page, 'e', "el.setAttribute('theme', 'dark')");
  await drawn(page, 'e');
  assert.equal(await theme(page, 'e'), 'theme-dark');
  await el(page, 'a', "el.setAttribute('nodes', '12')");
  await says('a', /^Paxos figure: attribute `nodes` must be from 3 to 9, not 12/);
  await close(g);
});

test('two on one page are independent', async () => {
  const g = await open(`<paxos-figure id="a" scenario="dueling"></paxos-figure>
    <paxos-figure id="b" scenario="dueling"></paxos-figure>`);
  const { page } = g;
  await drawn(page, 'a');
  await drawn(page, 'b');
  await next(page, 'b');
  assert.equal(await moment(page, 'a'), 0, 'a did not move');
  await el(page, 'b', "el.setAttribute('theme', 'dark')");
  await fig(page, 'b').locator('.app.theme-dark').waitFor();
  assert.notEqual(await theme(page, 'a'), 'theme-dark');
  const ids = await page.evaluate(() => [...document.querySelectorAll('paxos-figure')]
    .map((f) => f.shadowRoot.querySelector('[id$=tour-next]').id));
  assert.notEqual(ids[0], ids[1], 'element ids stay unique on the page');
  await close(g);
});

test('inside another component\'s shadow root: it draws, steps and follows the page\'s dark background', async () => {
  const g = await open(`<doc-card id="card"></doc-card>
    <script>
      customElements.define('doc-card', class extends HTMLElement {
        connectedCallback() {
          const root = this.attachShadow({ mode: 'open' });
          root.innerHTML = '<section><h2>A card</h2><paxos-figure id="inner" scenario="dueling" theme="inherit"></paxos-figure></section>';
        }
      });
    </script>`, 'body { background: rgb(21, 23, 26); color: #ddd; }');
  const { page } = g;
  const inner = page.locator('#card').locator('#inner');
  await inner.locator('.app:not(.picture) svg.cluster g.node').first().waitFor({ timeout: 30000 });
  assert.match(await inner.locator('.app').getAttribute('class'), /theme-dark/, 'the page around the card is dark');
  await inner.locator('[id$=tour-next]').click();
  await until(async () => Number(await inner.locator('input[type=range]').first().inputValue()) > 0, 'Next plays a stage');
  await page.screenshot({ path: join(SHOTS, 'element-in-shadow-root.png'), fullPage: true });
  // Removed with its card: freed.
  const freed = await page.evaluate(async () => {
    const f = document.getElementById('card').shadowRoot.getElementById('inner');
    const handle = f.paxosPlayground;
    document.getElementById('card').remove();
    await new Promise((r) => setTimeout(r, 100));
    return handle.__wbg_ptr === 0 && f.shadowRoot.childElementCount === 0;
  });
  assert.ok(freed, 'removing the card frees the figure inside it');
  await close(g);
});
