// Text from outside is text: a value that looks like HTML, proposed, shared as a link and carried by a trace, shows
// as typed everywhere and runs nothing; a 100 KB value is refused with a short message. Run:
//   node --test --test-concurrency=1 e2e/hostile.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, SHOTS } from './helpers.mjs';

const suite = browserSuite();
const NASTY = ['<img src=x onerror="window.__xss=1">', '"><svg onload="window.__xss=2">', "'];window.__xss=3;//"];

async function open(path) {
  const g = await guardedPage(suite.browser, { acceptDownloads: true });
  await g.page.goto(suite.server.url + path);
  await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  return g;
}

test('values that look like markup show as typed in the log, the drawing and the outcome, and run nothing', async () => {
  const g = await open('');
  const { page } = g;
  await propose(page, NASTY[0], '0');
  await propose(page, NASTY[1], '1');
  await page.selectOption('#speed', '5');
  await page.locator('#play').click();
  await page.locator('.chosen-note').waitFor({ timeout: 20000 });
  await page.locator('#play').click();
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script ran');
  assert.equal(await page.locator('img[src=x], svg[onload]').count(), 0, 'no element was made from a value');
  const log = await page.locator('.log-lines').innerText();
  assert.ok(log.includes(NASTY[0]) || log.includes(NASTY[1]), 'the log shows a value as typed');
  assert.match(await page.locator('#checker-chosen').innerText(), /onerror|onload/);
  // Shared as a link, opened in a fresh page: the same text, still inert.
  const link = await page.evaluate(() => location.href);
  const other = await guardedPage(suite.browser);
  await other.page.goto(link);
  await other.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  assert.equal(await other.page.evaluate(() => window.__xss), undefined);
  assert.match(await other.page.locator('#checker-chosen').innerText(), /onerror|onload/);
  await other.context.close();
  // Exported as a trace and imported again: the same.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-trace').click()]);
  const file = join(SHOTS, 'hostile-trace.json');
  await download.saveAs(file);
  await page.setInputFiles('#import-trace', file);
  await page.waitForFunction(() => !document.querySelector('.share .hint[role=status]'));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.match(await page.locator('#checker-chosen').innerText(), /onerror|onload/);
  await page.screenshot({ path: join(SHOTS, 'hostile-values.png') });
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('a 100 KB value is refused with a short message and the page goes on', async () => {
  const g = await open('');
  const { page } = g;
  await propose(page, 'x'.repeat(100 * 1024), '0');
  const error = await page.locator('#value-error').innerText();
  assert.ok(error.length > 0 && error.length < 300, `a short message (${error.length} characters): ${error.slice(0, 120)}`);
  await propose(page, 'fine', '0');
  assert.equal(await page.locator('#value-error').innerText(), '');
  assert.deepEqual(g.problems.console, []);
  await g.context.close();
});

test('a hostile link, parameter and test hook name in the address are refused inline, and nothing crashes', async () => {
  for (const path of [
    '#run=1.AQADBwcHAAAAAggQCAIKFDwAAAoBAQD______x8A',
    '#run=1.AQADBwcHAAAAAggQCAIKFDwAAP___________wEBAgEAAgFhAMgByQE',
    '?colour=panic-test',
    '?seed=1&panic-tester=0',
    '?nodes=64',
  ]) {
    const g = await open(path);
    await g.page.locator('.refusal[role=alert]').waitFor();
    assert.equal(await g.page.locator('#panic:not([hidden])').count(), 0, `${path}: no panic`);
    assert.ok((await g.page.locator('.refusal').innerText()).length < 400, `${path}: a short message`);
    assert.deepEqual(g.problems.console, [], path);
    await g.context.close();
  }
});
