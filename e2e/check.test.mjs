// "Check every future" (issue 14, part 3): the search from the moment shown runs in a Web Worker; it finds the
// counterexample of a buggy run and opens it as a fork whose link reproduces it, proves a small correct run safe, can
// be cancelled, and leaves the page's own controls working while it runs. Each test starts the worker, so the guard
// (helpers.mjs) fails on the deprecation warning its loader printed when it called wasm-bindgen's glue the old way.
// Run: node --test --test-concurrency=1 e2e/check.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, SHOTS } from './helpers.mjs';

const suite = browserSuite();

async function withPage(shot, path, body) {
  const g = await guardedPage(suite.browser);
  try {
    await g.page.goto(suite.server.url + path);
    await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    await body(g.page, g);
    await g.page.screenshot({ path: join(SHOTS, shot) });
    assert.deepEqual(g.problems.console, [], 'no console errors');
    assert.deepEqual(g.problems.outside, [], 'no request off the origin');
  } finally {
    await g.context.close();
  }
}

const moment = async (page) => Number(/moment (\d+) \//.exec(await page.locator('.timeline .moment').innerText())[1]);
const result = (page) => page.locator('#check-result');

test('minority-quorum: a future breaks a rule, opened as a fork the banner names and its link reopens', () => withPage('check-minority.png', '?bug=minority-quorum', async (page, g) => {
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  assert.equal(await page.locator('.banner.violated').count(), 0, 'nothing is broken yet');
  const before = await moment(page);
  await page.getByRole('button', { name: 'Check every future' }).click();
  await page.locator('#check-result.check-broken').waitFor({ timeout: 60000 });
  const said = await result(page).innerText();
  assert.match(said, new RegExp(`A future of moment ${before} breaks a rule: phase 1 without a quorum, \\d+ steps? on\\. It is open now as a fork of the run at moment ${before}`), said);
  // The fork is the run now: the banner shows the violation, with "Show the moment it broke", at the fork's end.
  await page.locator('.banner.violated').waitFor();
  assert.match(await page.locator('#safety').innerText(), /phase 1 without a quorum/i);
  assert.equal(await page.locator('#safety').getByRole('button', { name: 'Show the moment it broke' }).count(), 1);
  assert.ok(await moment(page) > before, 'shown at the end of the fork');
  // The timeline marks where the future found begins, although it continues the run's end.
  assert.equal(await page.locator('.timeline .fork-mark').count(), 1);
  // Its link reproduces it in a fresh page.
  await page.waitForFunction(() => location.hash.startsWith('#run='));
  const link = await page.evaluate(() => location.href);
  const other = await guardedPage(suite.browser);
  try {
    await other.page.goto(link);
    await other.page.locator('.banner.violated').waitFor();
    assert.match(await other.page.locator('#safety').innerText(), /phase 1 without a quorum/i);
    assert.deepEqual(other.problems.console, []);
  } finally {
    await other.context.close();
  }
  // Back to the run that was checked: nothing broken, at the moment checked.
  await page.getByRole('button', { name: 'Back to your run' }).click();
  await page.waitForFunction(() => !document.querySelector('.banner.violated'));
  assert.equal(await moment(page), before);
  assert.deepEqual(g.problems.console, []);
}));

test('checked at a rewound moment, the counterexample forks the run there: a fork mark, the old future gone', () => withPage('check-fork.png', '?bug=minority-quorum', async (page) => {
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  for (let i = 0; i < 3; i++) await page.locator('#step').click();
  const end = await moment(page);
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step back' }).click();
  await page.waitForFunction((m) => Number(/moment (\d+) \//.exec(document.querySelector('.timeline .moment').textContent)[1]) === m, end - 3);
  await page.getByRole('button', { name: 'Check every future' }).click();
  await page.locator('#check-result.check-broken').waitFor({ timeout: 60000 });
  await page.locator('.timeline .fork-mark').waitFor();
  assert.match(await page.locator('#safety').innerText(), /phase 1 without a quorum/i);
  // "Show the moment it broke" goes to the violation inside the fork.
  await page.locator('#safety').getByRole('button', { name: 'Show the moment it broke' }).click();
  assert.ok(await moment(page) > end - 3, 'the violation is after the moment checked');
}));

test('correct Paxos: every future of a small run is safe, the search completes and names the value', () => withPage('check-safe.png', '', async (page) => {
  await propose(page, 'a', '0');
  // Step until the value is chosen: from there few futures remain.
  for (let i = 0; i < 60 && !/was chosen/.test(await page.locator('#checker-chosen').innerText()); i++) {
    await page.locator('#step').click();
  }
  assert.match(await page.locator('#checker-chosen').innerText(), /a was chosen/);
  const at = await moment(page);
  await page.getByRole('button', { name: 'Check every future' }).click();
  await page.locator('#check-result.check-safe').waitFor({ timeout: 60000 });
  const said = await result(page).innerText();
  assert.match(said, new RegExp(`^Every future of moment ${at} is safe: [\\d,]+ states, complete, no violation\\. In every future that chooses a value, it is “a”\\.$`), said);
  assert.equal(await page.locator('.banner.violated').count(), 0);
  assert.equal(await moment(page), at, 'a safe check changes nothing');
}));

test('a long check shows its progress, leaves the page working, and Cancel stops it', () => withPage('check-cancel.png', '', async (page) => {
  // Two fresh proposals: millions of futures, more than a quick check finishes.
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  const at = await moment(page);
  await page.getByRole('button', { name: 'Check every future' }).click();
  await page.waitForFunction(() => /^Explored [\d,]+ states so far: every future of up to \d+ steps? is checked/.test(document.querySelector('#check-detail')?.textContent ?? ''), null, { timeout: 30000 });
  assert.equal(await result(page).getAttribute('aria-busy'), 'true');
  // The page's own controls keep working while the worker searches: step the run forward and back.
  await page.locator('#step').click();
  await page.waitForFunction((m) => /moment (\d+) \//.exec(document.querySelector('.timeline .moment').textContent)[1] > m, at);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((m) => Number(/moment (\d+) \//.exec(document.querySelector('.timeline .moment').textContent)[1]) === m, at);
  const progress = await page.locator('#check-detail').innerText();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction((m) => document.querySelector('#check-result').textContent === `Cancelled: no violation in the futures of moment ${m} checked so far.`, at);
  assert.match(await page.locator('#check-detail').innerText(), /^Explored [\d,]+ states so far: every future of up to \d+ steps? is checked/);
  assert.equal(await result(page).getAttribute('aria-busy'), 'false');
  // Nothing more arrives from a cancelled search.
  const cancelled = await result(page).innerText();
  await page.waitForTimeout(700);
  assert.equal(await result(page).innerText(), cancelled);
  assert.notEqual(progress, '');
  assert.equal(await page.getByRole('button', { name: 'Check every future' }).isEnabled(), true);
}));

test('an embed asks for the panel with controls=check, and it is not in a figure by default', () => withPage('check-embed.png', '?embed=1&controls=time,propose,check', async (page) => {
  assert.equal(await page.getByRole('button', { name: 'Check every future' }).count(), 1);
  const plain = await guardedPage(suite.browser);
  try {
    await plain.page.goto(suite.server.url + '?embed=1');
    await plain.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    assert.equal(await plain.page.getByRole('button', { name: 'Check every future' }).count(), 0);
  } finally {
    await plain.context.close();
  }
}));
