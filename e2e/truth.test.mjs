// The page never contradicts itself (issue "The picture first", part 3): after a violation the outcome lists every
// value chosen and the status chip's counts add up; What if shows the bugs the run really has; a crashed node wears
// no crown; Play and Step after a violation do what the chip says; "No quorum reachable" appears and clears; a
// restarted single-decree learner is explained. Run: node --test --test-concurrency=1 e2e/truth.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, SHOTS } from './helpers.mjs';

const suite = browserSuite();

async function withPage(shot, path, body) {
  const g = await guardedPage(suite.browser);
  try {
    await g.page.goto(suite.server.url + path);
    await g.page.waitForSelector('svg.cluster g.node');
    await body(g.page);
    await g.page.screenshot({ path: join(SHOTS, shot) });
    assert.deepEqual(g.problems.console, [], 'no console errors');
  } finally {
    await g.context.close();
  }
}

const node = (page, i) => page.locator(`g.node[data-node="${i}"]`);
const moment = async (page) => Number(/moment (\d+) \//.exec(await page.locator('.timeline .moment').innerText())[1]);

async function playScenario(page) {
  while (!(await page.locator('#tour-next').isDisabled())) {
    const before = await page.locator('.timeline .moment').innerText();
    await page.locator('#tour-next').click();
    await page.waitForFunction((b) => document.querySelector('.timeline .moment')?.textContent !== b
      && document.querySelector('.app').dataset.playing === 'false', before, { timeout: 20000 });
  }
}

test('after the amnesia violation: both values in the outcome and in the drawing, counts that add up, What if on the bug', () => withPage('truth-amnesia.png', '?scenario=amnesia', async (page) => {
  await playScenario(page);
  await page.locator('.banner.violated').waitFor();
  const outcome = await page.locator('#checker-chosen').innerText();
  assert.match(outcome, /first was chosen at ballot 1\.0 by acceptors 0, 1; then second was chosen at ballot 1\.2 by acceptors 1, 2/);
  // The drawing shows the two values side by side, each in its colour.
  const shown = await page.locator('.chosen-centre .chosen-value').evaluateAll((els) =>
    els.map((e) => [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')));
  assert.deepEqual(shown, ['first', 'second']);
  // The tally names every violation it counts.
  const tally = await page.locator('#safety .tally').innerText();
  const [, total, parts] = /\((\d+) violations in all: (.*)\)/.exec(tally);
  const counted = parts.split(', ').map((p) => Number((/×(\d+)$/.exec(p) || [0, 1])[1])).reduce((a, b) => a + b, 0);
  assert.equal(counted, Number(total), tally);
  // The scenario's own bug is what What if shows, not "the rules hold".
  assert.equal(await page.locator('#what-if').inputValue(), 'amnesia');
  assert.match(await page.locator('#safety').innerText(), /Running with bugs: amnesia/);
}));

test('minority-quorum: the chip names the rule at once, and the outcome counts only real majorities', () => withPage('truth-minority.png', '?bug=minority-quorum', async (page) => {
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.banner.violated').waitFor({ timeout: 20000 });
  // The rule is broken when a proposer goes on without a real majority of promises, before anything is learned.
  assert.match(await page.locator('#safety').innerText(), /phase 1 without a quorum/i);
  await page.waitForSelector('.app[data-playing=false]');
  // Play on (a later rule may pause it again), then pause.
  await page.locator('#play').click();
  await page.waitForTimeout(3000);
  if (await page.locator('.app[data-playing=true]').count()) await page.locator('#play').click();
  await page.waitForSelector('.app[data-playing=false]');
  // "Chosen" is a fact about a real majority of acceptors, whatever quorum the bug makes the nodes use: the outcome
  // never calls a minority's value chosen, and a learner that learned one is reported by the chip.
  const outcome = await page.locator('#checker-chosen').innerText();
  const learned = await page.locator('.learners td.learned').allInnerTexts();
  if (/nothing chosen/.test(outcome)) {
    assert.ok(learned.every((t) => t.trim() === '—') || /learned unchosen|learned a value no quorum/i.test(await page.locator('#safety').innerText()),
      `${outcome} / ${learned.join(' ')}`);
  } else {
    assert.match(outcome, /was chosen/);
  }
  await page.screenshot({ path: join(SHOTS, 'truth-minority-after.png') });
}));

test('Play and Step after a violation go on, as the chip says', () => withPage('truth-goes-on.png', '?bug=minority-quorum', async (page) => {
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.banner.violated').waitFor({ timeout: 20000 });
  await page.waitForSelector('.app[data-playing=false]');
  assert.match(await page.locator('#safety .goes-on').textContent(), /the run continues/);
  const at = await moment(page);
  await page.locator('#step').click();
  await page.waitForFunction((m) => Number(/moment (\d+) \//.exec(document.querySelector('.timeline .moment').textContent)[1]) > m, at);
  assert.equal(await page.locator('.refusal').count(), 0, 'Step is not refused');
}));

test('a crashed leader wears no crown, and No quorum reachable appears and clears', () => withPage('truth-no-quorum.png', '', async (page) => {
  await propose(page, 'blue', '0');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.chosen-note').waitFor({ timeout: 20000 });
  await page.locator('#play').click();
  await node(page, 0).click();
  await page.getByRole('button', { name: 'Crash node 0' }).click();
  assert.equal(await node(page, 0).locator('path.crown').count(), 0, 'no crown on a crashed node');
  assert.doesNotMatch(await node(page, 0).getAttribute('aria-label'), /leader/);
  assert.equal(await page.locator('#no-quorum').count(), 0, 'two of three acceptors are a quorum');
  await node(page, 1).click();
  await page.getByRole('button', { name: 'Crash node 1' }).click();
  await page.locator('#no-quorum').waitFor();
  assert.match(await page.locator('#no-quorum').textContent(), /No quorum reachable: nothing can be chosen/);
  await node(page, 1).click();
  await page.getByRole('button', { name: 'Restart node 1' }).click();
  await page.waitForFunction(() => !document.querySelector('#no-quorum'));
  // The preset that really blocks progress: every side smaller than a quorum.
  await page.locator('#split-no-quorum').click();
  await page.locator('#no-quorum').waitFor();
  await page.getByRole('button', { name: 'Heal all' }).click();
  await page.waitForFunction(() => !document.querySelector('#no-quorum'));
  assert.equal(await page.getByRole('button', { name: 'Heal all' }).isDisabled(), true, 'nothing left to heal');
}));

test('a single-decree learner restarted after the value was chosen says why it learned nothing', () => withPage('truth-late-learner.png', '', async (page) => {
  await propose(page, 'blue', '0');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.chosen-note').waitFor({ timeout: 20000 });
  await page.locator('#play').click();
  await node(page, 2).click();
  await page.getByRole('button', { name: 'Crash node 2' }).click();
  await node(page, 2).click();
  await page.getByRole('button', { name: 'Restart node 2' }).click();
  assert.match(await page.locator('tr[data-learner="2"] .late-note').innerText(), /^Restarted after the value was chosen/);
}));

test('the happy path never times out', () => withPage('truth-happy.png', '', async (page) => {
  await propose(page, 'blue');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.chosen-note').waitFor({ timeout: 20000 });
  assert.doesNotMatch(await page.locator('.log-lines').innerText(), /timed out/);
  assert.match(await page.locator('#safety').innerText(), /Chosen: blue at 1\.0/);
}));

test('one clock: the chip, the log and the timeline name the same moment, and a mark on the timeline goes there', () => withPage('truth-one-clock.png', '?scenario=amnesia', async (page) => {
  await playScenario(page);
  await page.locator('.banner.violated').waitFor();
  // The chip names the moment the first rule broke; its mark on the timeline goes there, and the log has a line then.
  const chip = await page.locator('#safety .violation-text').first().textContent();
  const at = Number(/\(moment (\d+)\)/.exec(chip)[1]);
  const marks = await page.locator('.tl-mark.violation').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.ok(marks.includes(`Violation at moment ${at}`), marks.join(', '));
  await page.getByRole('button', { name: `Violation at moment ${at}` }).click();
  assert.equal(await moment(page), at);
  assert.ok((await page.locator('.log-time').allInnerTexts()).includes(`#${at}`), 'the log names the same moment');
  // A crash and a restart are marked too.
  assert.ok(await page.locator('.tl-mark.crash').count() >= 1);
  assert.ok(await page.locator('.tl-mark.restart').count() >= 1);
}));
