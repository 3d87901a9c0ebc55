// Accessibility audits: axe-core (npm, injected into the page; nothing is fetched) over the playground in the states
// a person sees, in the light and the dark theme. Any violation fails, with its rule, help text and first element.
// Run: node --test e2e/a11y.test.mjs (after building dist/). Screenshots: screenshots/40-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, play, SHOTS, ROOT } from './helpers.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const suite = browserSuite();

/** Opens `path` in the given colour scheme, lets `act` bring the page to a state, then audits the whole document. */
async function audit(shot, path, scheme, act = async () => {}) {
  // Reduced motion: without it a button that just changed role (Crash → Restart, same element) is still fading
  // between its two colours for 0.15 s, and axe, measuring contrast mid-fade, failed one run in many.
  const { context, page, problems } = await guardedPage(suite.browser, { colorScheme: scheme, reducedMotion: 'reduce' });
  try {
    await page.goto(suite.server.url + path);
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    await act(page);
    await page.addScriptTag({ content: AXE });
    const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0].target.join(' ')})`));
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    assert.deepEqual(found, [], `axe on ${path || '/'} (${scheme})`);
    assert.deepEqual(problems.console, [], 'no console errors');
  } finally {
    await context.close();
  }
}

const pause = (page) => page.getByRole('button', { name: 'Pause' }).click();

for (const scheme of ['light', 'dark']) {
  test(`the page as it opens (${scheme})`, () => audit(`40-a11y-open-${scheme}.png`, '', scheme));

  test(`Play with nothing to run, then the tour's start with the keyboard help open (${scheme})`, () =>
    audit(`40a-a11y-start-${scheme}.png`, '', scheme, async (page) => {
      await page.getByRole('button', { name: 'Play' }).click();
      await page.locator('.idle-note').waitFor();
      await page.getByRole('button', { name: 'Take the tour' }).click();
      await page.locator('.lesson .tour-intro').waitFor();
      await page.waitForSelector('.app[data-playing=false]', { timeout: 15000 });
      await page.getByRole('button', { name: 'Show keyboard shortcuts' }).click();
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    }));

  test(`a run with a message selected and a node crashed (${scheme})`, () =>
    audit(`41-a11y-run-${scheme}.png`, '', scheme, async (page) => {
      await propose(page, 'hello', '0');
      await play(page, '3');
      await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) >= 12);
      await pause(page);
      await page.locator('g.msg .msg-hit').first().click();
      await page.getByRole('button', { name: /^Inspect payload of/ }).click();
      await page.locator('g.node[data-node="2"]').click();
      await page.getByRole('button', { name: 'Crash node 2' }).click();
      // The node's actions, open over the drawing with its details, are audited too.
      await page.locator('g.node[data-node="1"]').click();
      await page.getByRole('button', { name: 'Details of node 1' }).click();
      await page.getByRole('dialog', { name: 'Node 1' }).getByText('Acceptor (durable').waitFor();
    }));

  test(`Multi-Paxos with transaction IDs, a bug and a violation (${scheme})`, () =>
    audit(`42-a11y-multi-${scheme}.png`, '', scheme, async (page) => {
      await page.selectOption('#mode', 'multi');
      await page.getByRole('button', { name: 'Reset with these settings' }).click();
      await page.getByRole('button', { name: /^Request txn ID/ }).click();
      await play(page, '5');
      await page.waitForSelector('.slot-grid .txn-id');
      await pause(page);
      await page.selectOption('#scenario', '9'); // the amnesia bug: the tour's last stage breaks agreement
      await page.getByRole('button', { name: 'Jump to end' }).click();
      await page.locator('.banner.violated').waitFor();
    }));

  test(`membership: a retired node, a joining one, and the Membership controls (${scheme})`, () =>
    audit(`42m-a11y-membership-${scheme}.png`, '?mode=multi', scheme, async (page) => {
      await page.getByRole('checkbox', { name: /Send a request every/ }).check();
      await play(page, '5');
      await page.locator('svg.cluster g.node.leader').waitFor({ timeout: 20000 });
      await pause(page);
      await page.locator('g.node[data-node="1"] .disc').click();
      await page.locator('.node-menu').getByRole('button', { name: 'Remove node 1' }).click();
      await play(page, '5');
      await page.locator('svg.cluster g.node.retired[data-node="1"]').waitFor({ timeout: 20000 });
      await pause(page);
      await page.getByRole('button', { name: 'Add node' }).click();
      await page.locator('svg.cluster g.node.joining[data-node="3"]').waitFor();
      // The retired node's actions, open over the drawing, are audited too.
      await page.locator('g.node[data-node="1"] .disc').click();
    }));

  test(`the charts open on a stalled client, with their table (${scheme})`, () =>
    audit(`42c-a11y-charts-${scheme}.png`, '?mode=multi', scheme, async (page) => {
      await page.selectOption('#client-every', '20');
      await page.getByRole('checkbox', { name: /Send a request every/ }).check();
      await page.getByRole('button', { name: 'Show charts' }).click();
      await play(page, '5');
      await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) >= 400);
      await pause(page);
      await page.locator('g.node[data-node="1"] .disc').click();
      await page.getByRole('button', { name: 'Crash node 1' }).click();
      await page.locator('g.node[data-node="2"] .disc').click();
      await page.getByRole('button', { name: 'Crash node 2' }).click();
      await play(page, '5');
      await page.locator('#charts-meter.stalled').waitFor({ timeout: 20000 });
      await pause(page);
      await page.locator('#charts details.table summary').click();
    }));

  test(`an exercise open with a hint, then solved, and the list of exercises (${scheme})`, async () => {
    await audit(`47-a11y-exercise-${scheme}.png`, '?exercise=no-quorum', scheme, async (page) => {
      await page.locator('.panel.exercise h2').waitFor();
      await page.getByRole('button', { name: 'Hint' }).click();
      await page.getByRole('button', { name: 'All exercises' }).click();
      await page.locator('.panel.exercises').waitFor();
    });
    await audit(`48-a11y-exercise-solved-${scheme}.png`, '?exercise=no-quorum', scheme, async (page) => {
      // The exercise's run arrives with lessons.txt, after the first drawing: a node clicked before it is redrawn.
      await page.locator('.panel.exercise h2').waitFor();
      for (const n of [0, 1, 2]) {
        await page.locator(`g.node[data-node="${n}"]`).click();
        await page.getByRole('button', { name: `Crash node ${n}` }).click();
        await page.keyboard.press('Escape');
      }
      await page.locator('.panel.exercise .solved').waitFor();
    });
  });

  test(`Raft with a leader elected and a request committed, and Compare with its differences (${scheme})`, async () => {
    await audit(`40-a11y-raft-${scheme}.png`, '?protocol=raft', scheme, async (page) => {
      await play(page);
      await page.locator('svg.cluster .crown').first().waitFor({ timeout: 30000 });
      await propose(page, 'blue');
      await page.locator('.banner .chosen-note').waitFor({ timeout: 30000 });
      await pause(page);
    });
    await audit(`40-a11y-compare-${scheme}.png`, '?compare=1&scenario=raft-up-to-date&moment=113', scheme, async (page) => {
      await page.locator('.diff-list .diff-elect').waitFor({ timeout: 30000 });
    });
  });

  test(`the status chip's explanation, open at the end of a duel (${scheme})`, () =>
    audit(`45-a11y-explain-${scheme}.png`, '?scenario=dueling', scheme, async (page) => {
      await page.locator('#jump-end').click();
      await page.waitForSelector('.app[data-playing=false]');
      await page.locator('#safety .details').click();
      await page.locator('#safety.expanded').waitFor();
    }));

  test(`an iframe embed and the documentation example with two mounted playgrounds (${scheme})`, async () => {
    await audit(`43-a11y-embed-${scheme}.png`, `?embed=1&scenario=dueling&theme=${scheme}`, scheme);
    await audit(`44-a11y-doc-${scheme}.png`, 'embed-example.html', scheme);
  });
}
