// Raft and Compare come from a second build of the app (issue 22, "Size and speed"): start.js loads paxos-web-all
// only when the address asks for `protocol=raft` or `compare=1` (scripts/csp-loader.mjs), so the plain page's
// transfer does not carry it. Served under the strict CSP, as csp.test.mjs serves the page.
// Run: scripts/build.sh && node --test e2e/raft.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, guardedPage, STRICT_CSP } from './helpers.mjs';

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
