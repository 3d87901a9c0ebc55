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
    // Leave the scenario: the address becomes the run's link, which opens as Raft on its own.
    await page.getByRole('button', { name: 'Exit the scenario' }).click();
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
