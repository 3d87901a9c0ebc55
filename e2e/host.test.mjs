// Figures inside a hostile host page: a plain HTML page whose CSS styles `:root`, `body`, `h2`, `table`, `button`,
// `.row`, `.panel` and `div` aggressively, with mdBook's root size (62.5 %) and a dark theme switched by a class on
// <html>, as documentation tools do. Its figures come from `figures.js` (`data-paxos` elements), included twice as a
// print page would. The page's look must not change with the figures in it, the figures must keep theirs, keys
// typed in a figure stay in it, `theme: "inherit"` follows the page, and `mount()` twice on one element replaces the
// figure. Run: node --test --test-concurrency=1 e2e/host.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, SHOTS } from './helpers.mjs';

const suite = browserSuite();

const HOST_CSS = `
  :root { font-size: 62.5%; }
  body { font: 1.6rem/1.5 Georgia, serif; color: rgb(51, 51, 51); background: rgb(255, 255, 255); margin: 20px; }
  html.dark body { background: rgb(21, 23, 26); color: rgb(220, 220, 220); }
  h2 { font-size: 40px; color: red; text-transform: uppercase; }
  table td, table th { padding: 30px; background: black; color: black; }
  button { width: 100%; display: block; text-transform: uppercase; font-size: 30px; }
  .row { display: block; margin: 0 -15px; }
  .panel, .app, .stage, .lesson { border: 10px solid magenta; }
  div { letter-spacing: 3px; }
  .fig { margin: 16px 0; }`;

/** The host page: the same prose with or without figures. */
function hostPage(figures) {
  const figs = figures ? `
    <div class="fig" data-paxos='{"scenario": "adopt-accepted", "theme": "inherit"}'></div>
    <div class="fig" data-paxos='{"scenario": "dueling", "controls": ["time", "timeline", "outcome", "scenarios"], "theme": "inherit"}'></div>
    <div class="fig bad" data-paxos='{"scenario": "duel"}'></div>
    <script src="figures.js"></script>
    <script src="figures.js"></script>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A hostile host</title>
    <style>${HOST_CSS}</style></head><body>
    <h2 id="heading">A chapter</h2><p id="prose">Some prose around the figures.</p>${figs}
    <script>window.hostKeys = []; document.addEventListener('keydown', (e) => window.hostKeys.push(e.key));</script>
    </body></html>`;
}

async function open(figures) {
  const g = await guardedPage(suite.browser, { viewport: { width: 1100, height: 900 } });
  await g.page.route('**/host-test.html', (r) => r.fulfill({ contentType: 'text/html', body: hostPage(figures) }));
  await g.page.goto(`${suite.server.url}host-test.html`);
  if (figures) await g.page.locator('.fig').nth(1).locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
  return g;
}

/** What the host's own elements look like: the numbers a reader would notice. */
const hostLook = (page) => page.evaluate(() => {
  const cs = (sel) => getComputedStyle(document.querySelector(sel));
  return {
    root: getComputedStyle(document.documentElement).fontSize, body: cs('body').fontSize, font: cs('body').fontFamily,
    heading: cs('#heading').fontSize, headingColour: cs('#heading').color, prose: cs('#prose').color,
    background: cs('body').backgroundColor,
  };
});

const moment = async (fig) => Number(/moment (\d+)/.exec(await fig.locator('.moment').innerText())[1]);

test('the host page looks the same with and without figures, in its light and its dark theme', async () => {
  const bare = await open(false);
  const withFigures = await open(true);
  for (const dark of [false, true]) {
    for (const g of [bare, withFigures]) await g.page.evaluate((d) => document.documentElement.classList.toggle('dark', d), dark);
    assert.deepEqual(await hostLook(withFigures.page), await hostLook(bare.page), `dark=${dark}: the host's look is unchanged`);
  }
  assert.equal((await hostLook(bare.page)).root, '10px', 'the host keeps its 62.5 % root');
  for (const g of [bare, withFigures]) {
    assert.deepEqual(g.problems.console, []);
    await g.context.close();
  }
});

test('figures keep their own look against the host CSS, once each though figures.js is included twice', async () => {
  const g = await open(true);
  const { page } = g;
  const figs = page.locator('.fig:not(.bad)');
  for (let i = 0; i < 2; i++) {
    assert.equal(await page.evaluate((i) => document.querySelectorAll('.fig')[i].shadowRoot.querySelectorAll('.app').length, i), 1,
      `figure ${i} is mounted once`);
  }
  const look = await figs.nth(0).evaluate((host) => {
    const q = (sel) => host.shadowRoot.querySelector(sel);
    const cs = (sel) => getComputedStyle(q(sel));
    return {
      title: cs('.lesson h2').fontSize, titleColour: cs('.lesson h2').color, titleCase: cs('.lesson h2').textTransform,
      next: q('[id$=tour-next]').getBoundingClientRect().width, nextSize: cs('[id$=tour-next]').fontSize,
      row: cs('.lesson .row').display, spacing: cs('.app').letterSpacing, border: cs('.lesson').borderTopWidth,
      font: cs('.app').fontSize, family: cs('.app').fontFamily,
    };
  });
  assert.equal(look.title, '15.3px', 'the narration title keeps its size (15 px × 1.02), not the host h2 or its 10 px rem');
  assert.notEqual(look.titleColour, 'rgb(255, 0, 0)');
  assert.equal(look.titleCase, 'none');
  assert.ok(look.next < 120, `Next keeps its width (${look.next}px), not the host's width: 100%`);
  assert.equal(look.nextSize, '13.5px');
  assert.equal(look.row, 'flex', "the host's .row does not reach in");
  assert.equal(look.spacing, 'normal');
  assert.equal(look.border, '1px', "the host's 10-px .lesson border does not reach in");
  assert.equal(look.font, '15px');
  assert.match(look.family, /system-ui/);
  // The outcome table keeps its cells: no host padding, no black stripes.
  const cell = await figs.nth(1).evaluate((host) => {
    const td = host.shadowRoot.querySelector('table td');
    const cs = getComputedStyle(td);
    return { padding: cs.padding, background: cs.backgroundColor };
  });
  assert.equal(cell.padding, '3px 7px');
  assert.equal(cell.background, 'rgba(0, 0, 0, 0)');
  // A bad figure says what is wrong in its place; the others run.
  assert.match(await page.locator('.fig.bad').innerText(), /Paxos figure: .*option `scenario`: no scenario “duel”/);
  await page.screenshot({ path: join(SHOTS, 'host-hostile-css.png'), fullPage: true });
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('keys typed in a figure stay in it; the page keeps its own keys', async () => {
  const g = await open(true);
  const { page } = g;
  const fig = page.locator('.fig').nth(1);
  const other = page.locator('.fig').nth(0);
  await fig.getByRole('button', { name: 'Step', exact: true }).focus();
  const before = await moment(fig);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await moment(fig), before + 2, '→ steps the focused figure');
  assert.equal(await moment(other), 0, 'the other figure ignores it');
  assert.deepEqual(await page.evaluate(() => window.hostKeys), [], 'the page never saw → (no next chapter)');
  await page.keyboard.press('s');
  assert.deepEqual(await page.evaluate(() => window.hostKeys), ['s'], 'a key the figure does not use reaches the page');
  await page.locator('#prose').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('?');
  assert.deepEqual(await page.evaluate(() => window.hostKeys), ['s', 'ArrowRight', '?'], 'outside a figure, keys are the page\'s');
  assert.equal(await moment(fig), before + 2);
  assert.equal(await page.locator('.fig').nth(1).locator('[role=dialog]').count(), 0, 'no figure opened its help');
  // A click anywhere in a figure, not only on a button, gives it the keys.
  await other.locator('svg.cluster').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  assert.equal(await moment(other), 1, 'a click on the drawing, then →, steps that figure');
  assert.deepEqual(await page.evaluate(() => window.hostKeys), ['s', 'ArrowRight', '?'], 'and the page did not see it');
  // A figure cannot strand its reader: no "Exit the scenario" where no scenario can be opened again, and no guided
  // tour to carry the reader away from the figure's caption.
  assert.equal(await other.getByRole('button', { name: 'Exit the scenario' }).count(), 0);
  assert.equal(await fig.getByRole('button', { name: 'Exit the scenario' }).count(), 1, 'this one has the scenario picker');
  assert.equal(await fig.getByRole('button', { name: 'Start the guided tour' }).count(), 0);
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('theme "inherit" follows the page; setTheme and a second mount() change a figure', async () => {
  const g = await open(true);
  const { page } = g;
  const app = (i) => page.locator('.fig').nth(i).locator('.app');
  const theme = async (i) => (await app(i).getAttribute('class')).match(/theme-\w+/)[0];
  assert.equal(await theme(0), 'theme-light');
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await app(0).and(page.locator('.theme-dark')).waitFor();
  assert.equal(await theme(1), 'theme-dark');
  await page.screenshot({ path: join(SHOTS, 'host-dark-inherit.png'), fullPage: true });
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await app(0).and(page.locator('.theme-light')).waitFor();

  await page.evaluate(() => document.querySelectorAll('.fig')[1].paxosPlayground.setTheme('dark'));
  await app(1).and(page.locator('.theme-dark')).waitFor();
  assert.equal(await theme(0), 'theme-light', 'setTheme changes only its own figure');
  const bad = await page.evaluate(() => { try { document.querySelectorAll('.fig')[1].paxosPlayground.setTheme('pink'); } catch (e) { return e.message; } });
  assert.match(bad, /setTheme: the theme must be light, dark, auto or inherit, not “pink”/);

  // mount() again on the same element: one figure, the new one; the old handle does nothing.
  const titles = await page.evaluate(async () => {
    const { mount } = await import(new URL('paxos-web.js', location.href).href);
    const el = document.querySelectorAll('.fig')[0];
    const old = el.paxosPlayground;
    el.paxosPlayground = mount(el, { embed: true, scenario: 'dueling' });
    old.play();
    old.step();
    await new Promise((r) => setTimeout(r, 300));
    return [...el.shadowRoot.querySelectorAll('[id$=lesson-title]')].map((t) => t.textContent);
  });
  assert.deepEqual(titles, ['Dueling proposers']);
  assert.equal(await page.locator('.fig').nth(0).locator('.app').count(), 1);
  assert.equal(await page.locator('.fig').nth(0).locator('.app[data-playing=true]').count(), 0, 'the old handle drives nothing');
  await page.evaluate(() => document.querySelectorAll('.fig')[0].paxosPlayground.destroy());
  assert.equal(await page.locator('.fig').nth(0).locator('.app').count(), 0);
  const second = await page.evaluate(async () => {
    const { mount } = await import(new URL('paxos-web.js', location.href).href);
    const el = document.querySelectorAll('.fig')[0];
    el.paxosPlayground = mount(el, { embed: true });
    await new Promise((r) => setTimeout(r, 300));
    return el.shadowRoot.querySelectorAll('.app').length;
  });
  assert.equal(second, 1, 'a destroyed figure can be mounted again');
  const p = await page.evaluate(async () => {
    const { mount } = await import(new URL('paxos-web.js', location.href).href);
    try { mount(document.createElement('img'), {}); } catch (e) { return e.message; }
  });
  assert.match(p, /an? <img> element cannot hold a playground; use a <div>/);
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('an iframe with theme=inherit takes the theme its page posts', async () => {
  const g = await guardedPage(suite.browser, { viewport: { width: 900, height: 700 } });
  const { page } = g;
  const body = `<!doctype html><html lang="en"><head><title>frame host</title></head><body>
    <iframe title="Paxos" src="index.html?embed=1&scenario=partition&theme=inherit" style="width: 800px; height: 500px"></iframe></body></html>`;
  await page.route('**/frame-host.html', (r) => r.fulfill({ contentType: 'text/html', body }));
  await page.goto(`${suite.server.url}frame-host.html`);
  const frame = page.frameLocator('iframe');
  await frame.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
  assert.match(await frame.locator('.app').getAttribute('class'), /theme-auto/, 'the system setting until the page says');
  await page.evaluate(() => document.querySelector('iframe').contentWindow.postMessage({ type: 'paxos-playground:theme', theme: 'dark' }, '*'));
  await frame.locator('.app.theme-dark').waitFor();
  await page.evaluate(() => document.querySelector('iframe').contentWindow.postMessage({ type: 'paxos-playground:theme', theme: 'light' }, '*'));
  await frame.locator('.app.theme-light').waitFor();
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test("a figure's layout follows its column, not the window: a documentation column keeps the labels", async () => {
  const g = await open(true);
  const { page } = g;
  const fig = page.locator('.fig').nth(1);
  const layout = (width) => fig.evaluate(async (host, width) => {
    host.style.width = `${width}px`;
    await new Promise((r) => setTimeout(r, 400));
    const q = (s) => host.shadowRoot.querySelector(s);
    const b = (s) => q(s).getBoundingClientRect();
    const within = (inner, outer) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
    return {
      compact: !!q('.cluster-wrap.compact'), drawing: b('svg.cluster'), lesson: b('.lesson'),
      menuInside: within(b('.scenarios select'), host.getBoundingClientRect()),
    };
  }, width);
  // mdBook's content column: the narration goes under the drawing, which keeps its full width and its labels.
  const book = await layout(750);
  assert.equal(book.compact, false, 'a 750-px column draws the labels beside the nodes');
  assert.ok(book.lesson.top >= book.drawing.bottom - 1, 'the narration is under the drawing');
  assert.ok(book.drawing.width > 650, `the drawing takes the column (${book.drawing.width}px)`);
  // A phone-wide column: the scenario menu stays inside the figure.
  const phone = await layout(390);
  assert.equal(phone.compact, true);
  assert.ok(phone.menuInside, 'the scenario menu fits the figure');
  await page.screenshot({ path: join(SHOTS, 'host-narrow-column.png'), fullPage: true });
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('in the hostile host, a figure adds and retires nodes and draws its charts in its own look', async () => {
  const g = await guardedPage(suite.browser, { viewport: { width: 1100, height: 900 } });
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A hostile host</title>
    <style>${HOST_CSS}</style></head><body><h2 id="heading">A chapter</h2><p id="prose">Some prose.</p>
    <div class="fig" data-paxos='{"mode": "multi", "controls": ["time", "propose", "charts"], "theme": "inherit"}'></div>
    <script src="figures.js"></script></body></html>`;
  await g.page.route('**/host-members.html', (r) => r.fulfill({ contentType: 'text/html', body: page }));
  try {
    await g.page.goto(`${suite.server.url}host-members.html`);
    const fig = g.page.locator('.fig');
    await fig.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
    await fig.getByRole('checkbox', { name: /Send a request every/ }).check();
    await fig.getByRole('button', { name: 'Add node' }).click();
    await fig.locator('svg.cluster g.node.joining[data-node="3"]').waitFor();
    await fig.getByRole('button', { name: 'Remove node 1' }).click();
    // The charts open by `controls`; they load their stylesheet into the figure's shadow root.
    await fig.getByRole('button', { name: 'Play' }).click();
    await fig.locator('svg.cluster g.node.retired[data-node="1"]').waitFor({ timeout: 20000 });
    await fig.locator('svg.cluster g.node[data-node="3"]:not(.joining)').waitFor({ timeout: 20000 });
    await fig.locator('.chart .mark-config').first().waitFor({ timeout: 20000 });
    assert.notEqual(await fig.locator('.chart .bar').first().evaluate((e) => getComputedStyle(e).fill), 'rgb(0, 0, 0)');
    // The host's buttons are 100 % wide and upper-case; the figure's Add node is neither.
    const add = await fig.getByRole('button', { name: 'Add node' }).evaluate((b) => [getComputedStyle(b).textTransform, b.getBoundingClientRect().width]);
    assert.ok(add[0] === 'none' && add[1] < 300, JSON.stringify(add));
    assert.equal(await g.page.locator('#heading').evaluate((e) => getComputedStyle(e).color), 'rgb(255, 0, 0)', 'the host keeps its look');
    await g.page.screenshot({ path: join(SHOTS, 'host-membership.png'), fullPage: true });
    assert.deepEqual(g.problems.console, [], 'no console errors');
  } finally {
    await g.context.close();
  }
});
