// The charts panel (issue 23, "Liveness and throughput you can see"): it loads on first use (charts.js, and the
// worker's `series`), draws the transaction-ID client's throughput and latency with the spans of what went wrong
// behind them, names a stall while it lasts and the recovery after it, and a click on a chart shows that time.
// Run: node --test --test-concurrency=1 e2e/charts.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, play, SHOTS } from './helpers.mjs';

const suite = browserSuite();
const meter = (page) => page.locator('#charts-meter');
const time = async (page) => Number(await page.locator('.clock').getAttribute('data-time'));
/** Opens `path` with the client asking every 20 time units and the charts shown, and plays at 20x. */
const openWithCharts = async (page, path) => {
  await page.goto(suite.server.url + path);
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await page.selectOption('#client-every', '20');
  await page.getByRole('checkbox', { name: /Send a request every/ }).check();
  await page.getByRole('button', { name: 'Show charts' }).click();
  await play(page, '5');
};
const crashOrRestart = async (page, i, what) => {
  await page.locator(`g.node[data-node="${i}"] .disc`).click();
  await page.getByRole('button', { name: `${what} node ${i}` }).click();
};

test('the client stalls when no quorum is left, named as it happens, and recovers; the charts show when', async () => {
  const g = await guardedPage(suite.browser);
  const { page } = g;
  try {
    await page.goto(suite.server.url + '?mode=multi');
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    // Nothing of the charts is fetched before they are opened.
    const fetched = [];
    page.on('request', (r) => fetched.push(r.url()));
    assert.equal(await page.locator('#charts .chart').count(), 0);
    await page.selectOption('#client-every', '20');
    await page.getByRole('checkbox', { name: /Send a request every/ }).check();
    await page.getByRole('button', { name: 'Show charts' }).click();
    await play(page, '5');
    await meter(page).filter({ hasText: /^\d+ values? chosen in the last 100 time units; latency median \d+, 99th percentile \d+$/ }).waitFor({ timeout: 20000 });
    assert.ok(fetched.some((u) => u.endsWith('/charts.js')) && fetched.some((u) => u.endsWith('/paxos-worker_bg.wasm')), 'charts.js and the worker load when the panel opens');
    assert.equal(await page.getByRole('img', { name: /^Throughput: commits per 100 time units/ }).count(), 1);
    assert.equal(await page.getByRole('img', { name: /^Latency: median and 99th percentile/ }).count(), 1);
    // Two of three nodes crash: no quorum, named as a stall once requests have waited 200 time units.
    await page.getByRole('button', { name: 'Pause' }).click();
    const crashedAt = await time(page);
    await crashOrRestart(page, 1, 'Crash');
    await crashOrRestart(page, 2, 'Crash');
    await play(page, '5');
    await meter(page).filter({ hasText: /^no value chosen for \d+ time units: no quorum reachable$/ }).waitFor({ timeout: 20000 });
    assert.match(await meter(page).getAttribute('class'), /stalled/);
    assert.ok(await page.locator('#charts .chart-bars .band-crash').count() >= 1, 'the crashes are banded');
    // Both restart: the waiting requests are chosen, late, and the meter measures again.
    await page.getByRole('button', { name: 'Pause' }).click();
    const restartedAt = await time(page);
    await crashOrRestart(page, 1, 'Restart');
    await crashOrRestart(page, 2, 'Restart');
    await play(page, '5');
    await meter(page).filter({ hasText: /values? chosen in the last 100 time units/ }).waitFor({ timeout: 20000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    // The table: no commit while the quorum was gone, then a window whose 99th percentile is the stall's length.
    await page.locator('#charts details.table summary').click();
    const rows = await page.locator('#charts table.series tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.cells].map((c) => c.textContent)));
    const during = rows.filter(([from]) => +from >= crashedAt + 100 && +from + 100 <= restartedAt);
    assert.ok(during.length >= 2 && during.every(([, commits]) => commits === '0'), JSON.stringify(rows));
    assert.ok(rows.some(([from, , , p99]) => +from >= restartedAt - 100 && +p99 >= restartedAt - crashedAt - 150), JSON.stringify(rows));
    await page.screenshot({ path: join(SHOTS, 'charts-recovered.png'), fullPage: true });
    // A click on the chart at the time the nodes crashed (its axis runs from 0 to the window of the moment shown,
    // behind a 30-unit margin of a 320-unit width) shows that time.
    const box = await page.locator('#charts .chart-bars').boundingBox();
    const end = Math.ceil((await time(page) + 1) / 100) * 100;
    await page.mouse.click(box.x + box.width * (30 + (crashedAt / end) * 290) / 320, box.y + box.height / 2);
    await page.waitForFunction((t) => Math.abs(Number(document.querySelector('.clock').dataset.time) - t) < 30, crashedAt);
    assert.deepEqual(g.problems.console, [], 'no console errors');
    assert.deepEqual(g.problems.outside, [], 'no request off the origin');
  } finally {
    await g.context.close();
  }
});

test('Raft gets the same charts: its commits measured, and a stall in its words', async () => {
  const g = await guardedPage(suite.browser);
  const { page } = g;
  try {
    await openWithCharts(page, '?protocol=raft');
    await meter(page).filter({ hasText: /^\d+ values? committed in the last 100 time units; latency median \d+, 99th percentile \d+$/ }).waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await crashOrRestart(page, 1, 'Crash');
    await crashOrRestart(page, 2, 'Crash');
    await play(page, '5');
    await meter(page).filter({ hasText: /^no value committed for \d+ time units: no quorum reachable$/ }).waitFor({ timeout: 30000 });
    assert.deepEqual(g.problems.console, [], 'no console errors');
  } finally {
    await g.context.close();
  }
});
