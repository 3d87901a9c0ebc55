// The exercises as a student meets them: each built-in exercise opened by its address, its reference solution played
// through the page's own controls (the Propose form, the node's popover, the link's buttons, Step), and **Solved**
// seen; each near miss listed beside it does not solve it. Then the solution's link reopened solved, a forged one
// not, the solved marks in the list, a goal of one's own in the address, and bad goals refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, ROOT, SHOTS } from './helpers.mjs';

const suite = browserSuite();

/** The exercises' source (crates/paxos-sim/exercises.txt; the page fetches them compiled): id, solution and near
 * misses as script lines. */
function exercises() {
  const out = [];
  for (const raw of readFileSync(join(ROOT, 'crates/paxos-sim/exercises.txt'), 'utf8').split('\n')) {
    const line = raw.split('#')[0].trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    const text = rest.join(' ');
    if (key === 'exercise') out.push({ id: text, solution: [], misses: [] });
    const e = out[out.length - 1];
    if (key === 'solution') e.solution.push(text);
    if (key === 'miss') {
      if (text === '-' || e.misses.length === 0) e.misses.push([]);
      if (text !== '-') e.misses[e.misses.length - 1].push(text);
    }
  }
  return out;
}

async function open(page, query) {
  await page.goto(`${suite.server.url}${query}`);
  await page.locator('.panel.exercise h2').waitFor();
}

async function nodeAction(page, n, name) {
  await page.locator(`.app:not(.picture) svg.cluster g.node[data-node="${n}"] .disc`).click();
  await page.locator('.node-menu').getByRole('button', { name: `${name} node ${n}`, exact: true }).click();
  await page.keyboard.press('Escape');
}

async function linkAction(page, a, b, button) {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  // The pickers show while nothing is selected.
  await page.keyboard.press('Escape');
  await page.selectOption('#pick-link', `${lo}-${hi}`);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.keyboard.press('Escape');
}

/** Plays one script line through the page's controls. */
async function act(page, line) {
  const w = line.split(/\s+/);
  switch (w[0]) {
    case 'step':
      for (let i = 0; i < Number(w[1]); i++) {
        if (await page.locator('.panel.exercise .solved').count()) return;
        await page.locator('#step').click();
      }
      return;
    case 'propose': return propose(page, w.slice(2).join(' '), w[1]);
    case 'crash': return nodeAction(page, w[1], 'Crash');
    case 'restart': return nodeAction(page, w[1], 'Restart');
    case 'add-node': return page.getByRole('button', { name: 'Add node', exact: true }).click();
    case 'remove-node': return nodeAction(page, w[1], 'Remove');
    case 'cut':
      if (w[2] === '->') return linkAction(page, +w[1], +w[3], `Cut ${w[1]}→${w[3]} one way`);
      return linkAction(page, +w[1], +w[2], `Cut ${Math.min(w[1], w[2])}–${Math.max(w[1], w[2])} both ways`);
    case 'heal':
      if (w.length === 1) return page.getByRole('button', { name: 'Heal all' }).click();
      // The page heals a link both ways; healing the way that was not cut changes nothing.
      return linkAction(page, +w[1], +w[w.length - 1], `Heal link ${Math.min(w[1], w[w.length - 1])}–${Math.max(w[1], w[w.length - 1])}`);
    default: throw new Error(`no page control for "${line}"`);
  }
}

for (const e of exercises()) {
  test(`exercise ${e.id}: the reference solution through the page's controls is Solved; a near miss is not`, async () => {
    const { context, page, problems } = await guardedPage(suite.browser);
    try {
      await open(page, `?exercise=${e.id}`);
      assert.match(await page.locator('.panel.exercise ul.goal').innerText(), /○/);
      for (const line of e.solution) {
        await act(page, line);
      }
      await page.locator('.panel.exercise .solved').waitFor({ timeout: 10000 });
      assert.match(await page.locator('.panel.exercise .solved').innerText(), /Solved/);
      await page.screenshot({ path: join(SHOTS, `exercise-${e.id}-solved.png`) });
      for (const miss of e.misses) {
        await open(page, `?exercise=${e.id}`);
        for (const line of miss) {
          // A near miss may use an action the exercise does not offer: the page refuses it, and goes on.
          await act(page, line);
        }
        assert.equal(await page.locator('.panel.exercise .solved').count(), 0, `${e.id}: near miss ${miss.join('; ')} solved it`);
      }
      assert.deepEqual(problems.console, []);
    } finally {
      await context.close();
    }
  });
}

test('a solution link reopens solved, a forged one does not; the list marks what was solved', async () => {
  const { context, page, problems } = await guardedPage(suite.browser, { viewport: { width: 1280, height: 720 } });
  try {
    await open(page, '?exercise=no-quorum');
    for (const n of [0, 1, 2]) await nodeAction(page, n, 'Crash');
    await page.locator('.panel.exercise .solved').waitFor();
    // The address holds the exercise and the run; a fresh page opened with it checks it again.
    const url = page.url();
    assert.match(url, /\?exercise=no-quorum#run=1\./);
    await page.screenshot({ path: join(SHOTS, 'exercise-solved-1280.png') });
    const fresh = await context.newPage();
    await fresh.goto(url);
    await fresh.locator('.panel.exercise .solved').waitFor();
    // A run that does not start from the exercise's start, under the same exercise: not solved.
    await fresh.goto(`${suite.server.url}?exercise=no-quorum#run=1.AQADBwcHAAAAAggQCAIKBQ8AAAoBAgEAAgRibHVlAB4f`);
    await fresh.locator('.panel.exercise .lost').waitFor();
    assert.match(await fresh.locator('.panel.exercise .lost').innerText(), /Not solved: the run does not start from/);
    // The list: a ✓ on the one solved, kept in this browser.
    await fresh.getByRole('button', { name: 'All exercises' }).click();
    await fresh.getByRole('button', { name: /✓ Stop the cluster/ }).waitFor();
    assert.equal(await fresh.getByRole('button', { name: /✓/ }).count(), 1);
    // An action the exercise does not offer is refused, by name.
    await open(page, '?exercise=no-quorum');
    await page.locator('.app:not(.picture) svg.cluster g.node[data-node="0"] .disc').click();
    await page.getByRole('button', { name: 'Isolate node 0' }).click();
    assert.match(await page.locator('.refusal').innerText(), /This exercise offers only crash, restart, cut, heal/);
    assert.deepEqual(problems.console, []);
  } finally {
    await context.close();
  }
});

test('a goal of ones own in the address, and bad goals refused by name', async () => {
  const { context, page, problems } = await guardedPage(suite.browser, { viewport: { width: 390, height: 844 } });
  try {
    await open(page, '?goal=down>=2,actions<=2&nodes=5');
    assert.match(await page.locator('.panel.exercise .task').innerText(), /2 nodes are down, in 2 actions or fewer/);
    for (const n of [1, 3]) await nodeAction(page, n, 'Crash');
    await page.locator('.panel.exercise .solved').waitFor();
    await page.screenshot({ path: join(SHOTS, 'exercise-own-goal-390.png') });
    for (const [goal, says] of [
      ['chosen,fly', /`goal`: `fly` is not a goal term/],
      ['learned=7', /there is no node 7|no node 7/],
      ['x'.repeat(300), /300 bytes long; at most 256/],
    ]) {
      await page.goto(`${suite.server.url}?goal=${encodeURIComponent(goal)}`);
      await page.locator('.refusal').waitFor();
      assert.match(await page.locator('.refusal').innerText(), says);
    }
    assert.deepEqual(problems.console, []);
  } finally {
    await context.close();
  }
});
