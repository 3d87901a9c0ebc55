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
/** Opens `path` with the client asking every `every` time units and the charts shown, and plays at 20x. */
const openWithCharts = async (page, path, every = '20') => {
  await page.goto(suite.server.url + path);
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await page.selectOption('#client-every', every);
  await page.getByRole('checkbox', { name: /Send a request every/ }).check();
  await page.getByRole('button', { name: 'Show charts' }).click();
  await play(page, '5');
};
/** Pauses at a moment with a live leader (plays on a little while there is none, as between two ballots). */
const pausedWithLeader = async (page) => {
  for (let i = 0; i < 50; i++) {
    await page.getByRole('button', { name: 'Pause' }).click();
    const l = page.locator('svg.cluster g.node.leader.up');
    if (await l.count()) return Number(await l.first().getAttribute('data-node'));
    await play(page, '5');
    await page.waitForTimeout(100);
  }
  throw new Error('no leader in 50 tries');
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

test('membership changes while the client runs: a node joins, another retires, the leader crashes, a partition stalls the log, and the charts say when', async () => {
  const g = await guardedPage(suite.browser);
  const { page } = g;
  const node = (i) => page.locator(`svg.cluster g.node[data-node="${i}"]`);
  const menu = async (i, action) => {
    await node(i).locator('.disc').click();
    await page.locator('.node-menu').getByRole('button', { name: `${action} node ${i}` }).click();
  };
  try {
    // A request every 60 time units (the page's rate): at 20, with the page's latency of 20 to 60, the pipeline
    // bound (3 slots ahead of the last known chosen) already lets a backlog grow (docs/membership.md).
    await openWithCharts(page, '?mode=multi', '60');
    await meter(page).filter({ hasText: /values? chosen in the last 100 time units/ }).waitFor({ timeout: 20000 });
    // Add node: node 3 appears, joining, and catches up; it is a member once the configuration with it is in force
    // (3 slots after the slot that chose it).
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Add node' }).click();
    await node(3).waitFor();
    assert.match(await node(3).getAttribute('aria-label'), /joining/);
    await play(page, '5');
    await page.waitForFunction(() => !document.querySelector('svg.cluster g.node[data-node="3"]').classList.contains('joining'), null, { timeout: 20000 });
    await page.locator('table.slot-grid .config').first().waitFor();
    // Remove node 1 (from its popover): retired once the configuration without it is in force.
    await menu(1, 'Remove');
    await page.waitForFunction(() => document.querySelector('svg.cluster g.node[data-node="1"]').classList.contains('retired'), null, { timeout: 20000 });
    assert.match(await node(1).getAttribute('aria-label'), /retired: no configuration in force has it/);
    // The leader crashes: another member of {0, 2, 3} takes over.
    const leader = await pausedWithLeader(page);
    const crashedAt = await time(page);
    await menu(leader, 'Crash');
    await play(page, '5');
    await page.waitForFunction((old) => {
      const l = document.querySelector('svg.cluster g.node.leader.up');
      return l && Number(l.dataset.node) !== old;
    }, leader, { timeout: 20000 });
    // The new leader recovers the log and the client's values are chosen again.
    await page.waitForFunction((t) => Number(document.querySelector('.clock').dataset.time) >= t, crashedAt + 300);
    await meter(page).filter({ hasText: /values? chosen in the last 100 time units/ }).waitFor({ timeout: 20000 });
    // Of the two members left, one is cut off (the new leader or not): no quorum of the configuration in force, a
    // stall named as it happens.
    await page.getByRole('button', { name: 'Pause' }).click();
    const other = [0, 2, 3].find((i) => i !== leader);
    const cutAt = await time(page);
    await menu(other, 'Isolate');
    await play(page, '5');
    await meter(page).filter({ hasText: /^no value chosen for \d+ time units: (no quorum reachable|leader \d isolated: requests wait)$/ }).waitFor({ timeout: 20000 });
    // Healed: the requests that waited are chosen and the meter measures again.
    await page.getByRole('button', { name: 'Pause' }).click();
    const healedAt = await time(page);
    await page.getByRole('button', { name: 'Heal all' }).click();
    await play(page, '5');
    await meter(page).filter({ hasText: /values? chosen in the last 100 time units/ }).waitFor({ timeout: 20000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    // The charts: both configurations marked, the crash and the partition banded, and in the table no commit while
    // the partition held, then the backlog's long wait.
    await page.locator('#charts details.table summary').click();
    const events = await page.locator('#charts ul.events li').allTextContents();
    assert.ok(await page.locator('#charts .chart-bars .mark-config').count() >= 2, `both configurations are marked: ${events}`);
    assert.ok(await page.locator('#charts .chart-bars .band-crash').count() >= 1, `the crash is banded: ${events}`);
    assert.ok(await page.locator('#charts .chart-bars .band-partition').count() >= 1, `the partition is banded: ${events}`);
    assert.equal(events.filter((e) => e.startsWith('configuration chosen at')).length, 2, events.join('; '));
    const rows = await page.locator('#charts table.series tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.cells].map((c) => c.textContent)));
    const during = rows.filter(([from]) => +from >= cutAt && +from + 100 <= healedAt);
    assert.ok(during.length >= 1 && during.every(([, commits]) => commits === '0'), JSON.stringify({ cutAt, healedAt, rows }));
    assert.ok(rows.some(([from, commits]) => +from >= healedAt - 100 && +commits > 0), JSON.stringify({ healedAt, rows }));
    assert.ok(crashedAt < cutAt, 'the moments were taken in order');
    await page.screenshot({ path: join(SHOTS, 'charts-membership.png'), fullPage: true });
    assert.deepEqual(g.problems.console, [], 'no console errors');
    assert.deepEqual(g.problems.outside, [], 'no request off the origin');
  } finally {
    await g.context.close();
  }
});

test('Raft changes its membership one server at a time: a node joins and another retires, marked in the charts', async () => {
  const g = await guardedPage(suite.browser);
  const { page } = g;
  const node = (i) => page.locator(`svg.cluster g.node[data-node="${i}"]`);
  try {
    await openWithCharts(page, '?protocol=raft', '60');
    await meter(page).filter({ hasText: /values? committed in the last 100 time units/ }).waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Add node' }).click();
    await node(3).waitFor();
    await page.waitForFunction(() => {
      const n = document.querySelector('svg.cluster g.node[data-node="3"]');
      return n && !n.classList.contains('joining') && !n.classList.contains('retired');
    }, null, { timeout: 20000 });
    // A follower leaves: the leader is not asked to remove itself here.
    const leader = await pausedWithLeader(page);
    const follower = [0, 1, 2].find((i) => i !== leader);
    await node(follower).locator('.disc').click();
    await page.locator('.node-menu').getByRole('button', { name: `Remove node ${follower}` }).click();
    await play(page, '5');
    // Retired at once (a Raft server uses the configuration in its log, committed or not); marked once committed.
    await page.waitForFunction((i) => document.querySelector(`svg.cluster g.node[data-node="${i}"]`).classList.contains('retired'), follower, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelectorAll('#charts .chart-bars .mark-config').length >= 2, null, { timeout: 20000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('#charts details.table summary').click();
    const events = await page.locator('#charts ul.events li').allTextContents();
    assert.equal(events.filter((e) => e.startsWith('configuration chosen at')).length, 2, events.join('; '));
    assert.deepEqual(g.problems.console, [], 'no console errors');
  } finally {
    await g.context.close();
  }
});
