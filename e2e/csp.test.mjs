// The page under a strict Content-Security-Policy: dist/ served with the policy docs/hosting.md gives (no
// 'unsafe-inline' anywhere), and the full page, an iframe embed, mount() figures and <paxos-figure> elements must
// work unchanged, with no violation reported. Run: node --test --test-concurrency=1 e2e/csp.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serveDist, launch, guardedPage, SHOTS, STRICT_CSP } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await serveDist({ headers: { 'content-security-policy': STRICT_CSP } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** A page that records every CSP violation of its document and of its frames. */
async function strictPage() {
  const g = await guardedPage(browser);
  g.violations = [];
  await g.page.exposeFunction('__cspViolation', (v) => g.violations.push(v));
  await g.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.top.__cspViolation?.(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return g;
}

function clean(g, what) {
  assert.deepEqual(g.violations, [], `${what}: no CSP violation`);
  assert.deepEqual(g.problems.console, [], `${what}: no console error`);
  assert.deepEqual(g.problems.outside, [], `${what}: nothing fetched from elsewhere`);
}

test('the full page works under a strict CSP: it draws, proposes and chooses', async () => {
  const g = await strictPage();
  await g.page.goto(server.url);
  await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await g.page.getByRole('textbox', { name: 'Value' }).fill('blue');
  await g.page.getByRole('button', { name: 'Propose', exact: true }).click();
  await g.page.selectOption('#speed', '5');
  await g.page.getByRole('button', { name: 'Play' }).click();
  await g.page.waitForSelector('.chosen-note', { timeout: 20000 });
  // The worker (Check every future) starts and answers under the same policy.
  await g.page.getByRole('button', { name: 'Pause' }).click();
  await g.page.getByRole('button', { name: 'Check every future' }).click();
  await g.page.waitForFunction(() => document.querySelector('#check-result')?.getAttribute('aria-busy') === 'false'
    && /^(Every future|No future)/.test(document.querySelector('#check-result').textContent), null, { timeout: 60000 });
  await g.page.screenshot({ path: join(SHOTS, 'csp-full-page.png') });
  clean(g, 'full page');
  await g.context.close();
});

test('the charts load, draw and export under a strict CSP', async () => {
  const g = await strictPage();
  await g.page.goto(server.url + '?mode=multi');
  await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await g.page.getByRole('checkbox', { name: /Send a request every/ }).check();
  await g.page.getByRole('button', { name: 'Show charts' }).click();
  await g.page.selectOption('#speed', '5');
  await g.page.getByRole('button', { name: 'Play' }).click();
  await g.page.locator('#charts-meter').filter({ hasText: /chosen in the last 100 time units/ }).waitFor({ timeout: 30000 });
  await g.page.getByRole('button', { name: 'Pause' }).click();
  const download = g.page.waitForEvent('download');
  await g.page.getByRole('button', { name: 'Export CSV' }).click();
  assert.equal((await download).suggestedFilename(), 'paxos-series.csv');
  // The stylesheet charts.js links applies: a bar is green, not the default black.
  assert.notEqual(await g.page.locator('#charts .bar').first().evaluate((e) => getComputedStyle(e).fill), 'rgb(0, 0, 0)');
  clean(g, 'charts');
  await g.context.close();
});

test('an iframe embed and mount() figures work under a strict CSP', async () => {
  const g = await strictPage();
  await g.page.goto(server.url + 'embed-example.html');
  await g.page.waitForFunction(() => window.playgroundsReady === true && !document.querySelector('.paxos-static'));
  // Mounted, the figures draw once their scenarios' runs have arrived (lessons.txt); their pictures show meanwhile.
  for (const id of ['#figure-adopt', '#figure-duel']) {
    await g.page.locator(`${id} .app:not(.picture) svg.cluster g.node`).first().waitFor();
    assert.equal(await g.page.locator(`${id} .app:not(.picture) svg.cluster g.node`).count(), 3);
  }
  const frame = g.page.frameLocator('#iframe-example');
  await frame.locator('.app:not(.picture) svg.cluster g.node').first().waitFor();
  await frame.locator('[id$=tour-next]').click();
  await frame.locator('.lesson .stage-count', { hasText: 'Stage 1 of' }).waitFor();
  await g.page.locator('#figure-adopt [id$=tour-next]').click();
  await g.page.locator('#figure-adopt .lesson .stage-count', { hasText: 'Stage 1 of' }).waitFor();
  await g.page.screenshot({ path: join(SHOTS, 'csp-embeds.png'), fullPage: true });
  clean(g, 'embeds');
  await g.context.close();
});

test('<paxos-figure> elements work under a strict CSP, a bad one\'s message too', async () => {
  const g = await strictPage();
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>elements</title></head><body>
    <paxos-figure id="good" scenario="dueling" theme="inherit"></paxos-figure>
    <paxos-figure id="bad" scenario="duel"></paxos-figure>
    <script src="figures.js"></script></body></html>`;
  await g.page.route('**/element-csp.html', (r) => r.fulfill({
    contentType: 'text/html', body, headers: { 'content-security-policy': STRICT_CSP },
  }));
  await g.page.goto(server.url + 'element-csp.html');
  await g.page.locator('#good .app:not(.picture) svg.cluster g.node').first().waitFor();
  await g.page.locator('#good [id$=tour-next]').click();
  await g.page.locator('#good .lesson .stage-count', { hasText: 'Stage 1 of' }).waitFor();
  assert.match(await g.page.locator('#bad [role=alert]').innerText(), /no scenario “duel”/);
  clean(g, 'elements');
  await g.context.close();
});

test('the panic banner and its Reload button work without inline handlers', async () => {
  const g = await strictPage();
  await g.page.goto(server.url);
  await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  assert.equal(await g.page.locator('[onclick], [onload], [onerror], [style]').count(), 0, 'no inline handler or style in the page');
  const inline = await g.page.evaluate(() => [...document.scripts].filter((s) => !s.src && s.textContent.trim()).length);
  assert.equal(inline, 0, 'no inline script');
  clean(g, 'page');
  await g.context.close();
});
