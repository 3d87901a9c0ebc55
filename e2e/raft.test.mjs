// Raft and Compare come from a second build of the app (issue 22, "Size and speed"): start.js loads paxos-web-all
// only when the address asks for `protocol=raft` or `compare=1` (scripts/csp-loader.mjs), so the plain page's
// transfer does not carry it. Served under the strict CSP, as csp.test.mjs serves the page.
// Run: scripts/build.sh && node --test e2e/raft.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, guardedPage, STRICT_CSP, play, propose, until } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await serveDist({ headers: { 'content-security-policy': STRICT_CSP } });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** Opens the page at `query`, waits for the app to start and the network to settle; returns the names of the files
 * it requested. */
async function load(query) {
  const g = await guardedPage(browser);
  const files = [];
  g.page.on('request', (r) => files.push(new URL(r.url()).pathname.split('/').pop()));
  await g.page.goto(server.url + query);
  await g.page.waitForSelector('.app:not(.picture)');
  await g.page.waitForLoadState('networkidle');
  assert.deepEqual(g.problems.console, [], `${query || 'the plain page'}: no console error`);
  await g.context.close();
  return files;
}

test('the plain page loads the Paxos build alone; ?protocol=raft and ?compare=1 the Raft and Compare build alone', async () => {
  const plain = await load('');
  assert.ok(plain.includes('paxos-web_bg.wasm'), `the plain page loads the Paxos build: ${plain}`);
  assert.deepEqual(plain.filter((f) => f.startsWith('paxos-web-all')), [], 'and nothing of the second');
  for (const query of ['?protocol=raft', '?compare=1']) {
    const files = await load(query);
    assert.ok(files.includes('paxos-web-all.js') && files.includes('paxos-web-all_bg.wasm'), `${query} loads the second build: ${files}`);
    assert.deepEqual(files.filter((f) => /^paxos-web(\.js|_bg\.wasm)$/.test(f)), [], `${query} loads nothing of the Paxos build`);
  }
});

test('?protocol=raft draws Raft: terms in the nodes, a leader elected as time runs, a request committed in every log', async () => {
  const g = await guardedPage(browser);
  try {
    const { page } = g;
    await page.goto(server.url + '?protocol=raft');
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    assert.equal(await page.locator('h1').first().innerText(), 'Raft playground');
    assert.equal(await page.locator('svg.cluster g.node').count(), 3);
    assert.equal(await page.locator('svg.raft-logs .rl-row').count(), 3, 'a log strip per node');
    // Raft's Run form has no Paxos knobs; its bugs are Raft's.
    assert.equal(await page.locator('#q1').count(), 0);
    assert.equal(await page.locator('#bug-commit-old-term').count(), 1);
    await play(page, '5');
    await until(async () => (await page.locator('svg.cluster .crown').count()) === 1, 'a leader is elected', 30000);
    const label = await page.locator('svg.cluster g.node.leader').getAttribute('aria-label');
    assert.match(label, /^Node \d, up, term \d+, leader/);
    await propose(page, 'blue');
    await until(async () => (await page.locator('.banner .chosen-note').innerText().catch(() => '')).includes('committed'),
      'the request is committed', 30000);
    await until(async () => (await page.locator('svg.raft-logs .rl-entry.committed').count()) >= 6,
      'every log commits the no-op and blue', 30000);
    // The address names Raft, so a copied address reopens Raft.
    await page.getByRole('button', { name: 'Pause' }).click();
    await until(async () => page.url().includes('protocol=raft') && page.url().includes('#run=2.'), 'the address holds a Raft link');
    assert.deepEqual(g.problems.console, []);
  } finally {
    await g.context.close();
  }
});

test('a Raft link opens as Raft without protocol=raft, and What if commit-old-term breaks Figure 8 at its rule', async () => {
  const g = await guardedPage(browser);
  try {
    const { page } = g;
    await page.goto(server.url + '?protocol=raft&scenario=raft-figure-8&bug=commit-old-term&moment=999999');
    await page.waitForSelector('.app:not(.picture) .lesson');
    await until(async () => (await page.locator('.banner .first-rule').count()) === 1, 'the violation shows');
    assert.match(await page.locator('.banner .first-rule').innerText(), /Safety violated: /);
    assert.match(await page.locator('.what-if-note').innerText(), /commit-old-term bug is on/);
    // Leave the scenario and step on: the address becomes the run's link, which opens as Raft on its own.
    await page.getByRole('button', { name: 'Exit the scenario' }).click();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(async () => page.url().includes('#run=2.'), 'the address holds the link');
    const link = page.url().slice(page.url().indexOf('#run='));
    const files = [];
    g.page.on('request', (r) => files.push(new URL(r.url()).pathname.split('/').pop()));
    await page.goto(server.url + link);
    await page.reload();
    await page.waitForSelector('.app:not(.picture) svg.raft-logs');
    assert.equal(await page.locator('h1').first().innerText(), 'Raft playground');
    assert.ok(files.includes('paxos-web-all_bg.wasm'), `a Raft link loads the second build: ${files}`);
    assert.deepEqual(g.problems.console, []);
  } finally {
    await g.context.close();
  }
});

// Compare (?compare=1): a student can answer from Compare alone why a node cannot become Raft's leader while in
// Multi-Paxos it leads, and why Raft did not count an entry as committed: the sentences that say so appear at those
// moments (issue 22, "Done when").
test('Compare names where Raft and Multi-Paxos differ, at the moments they differ', async () => {
  const g = await guardedPage(browser);
  try {
    const { page } = g;
    const open = async (query) => {
      await page.goto(server.url + query);
      await page.waitForSelector('.app.compare .compare-side svg.cluster g.node');
    };
    await open('?compare=1');
    assert.equal(await page.locator('.compare-side').count(), 2);
    assert.deepEqual(await page.locator('.compare-side h2').allInnerTexts(), ['Multi-Paxos', 'Raft']);
    // Before: nothing differs yet.
    await open('?compare=1&scenario=raft-up-to-date&moment=90');
    await until(async () => (await page.locator('.lesson').count()) === 1, 'the scenario opens');
    assert.equal(await page.locator('.diff-list .diff-elect').count(), 0, 'no refusal yet at moment 90');
    // At its end: node 2 refused in term 4, while in Multi-Paxos a node with a shorter log can lead.
    await open('?compare=1&scenario=raft-up-to-date&moment=113');
    await until(async () => (await page.locator('.diff-list .diff-elect').count()) === 1, 'the refusal is named');
    const elect = await page.locator('.diff-list .diff-elect').innerText();
    assert.match(elect, /Node 2 cannot become Raft's leader in term 4: nodes 0, 1 refused their votes, because their logs/);
    assert.match(elect, /In Multi-Paxos (node 2 leads now|a node with a shorter log can lead)/);
    // Figure 8: the old term's entry stored on a majority, not counted.
    await open('?compare=1&scenario=raft-figure-8&moment=140');
    await until(async () => (await page.locator('.diff-list .diff-old-term').count()) === 1, 'the old-term entry is named');
    const old = await page.locator('.diff-list .diff-old-term').innerText();
    assert.match(old, /Raft's leader 0 \(term 4\) does not count slot 1 as committed, although 3 of 5 nodes store it: the entry is of term 1/);
    assert.match(old, /Multi-Paxos needs no such rule/);
    // Both sides show the same time: Multi-Paxos follows Raft's clock.
    assert.equal(await page.locator('.compare-side').first().locator('svg.cluster g.node').count(), 5);
    assert.deepEqual(g.problems.console, []);
  } finally {
    await g.context.close();
  }
});
