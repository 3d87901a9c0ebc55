// End-to-end tests of time travel, sharing and embedding: the timeline slider (rewind, Step back, fork), the
// space-time diagram's selection shared with the cluster view, #run= links opened in a fresh browser, bad links and
// URL parameters, trace import/export checked by the CLI (`paxos replay`), the iframe parameters, the JavaScript
// mount() API with two playgrounds on one page, and the guided tour. Run:
//   node --test --test-concurrency=1 e2e/travel.test.mjs
// Every test fails on a console error or on a request that leaves 127.0.0.1, and saves screenshots/20-*.png….
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, play, SHOTS, ROOT } from './helpers.mjs';

const PAXOS = join(ROOT, 'target', 'debug', 'paxos');
const TMP = mkdtempSync(join(tmpdir(), 'paxos-e2e-'));
const suite = browserSuite();
before(() => {
  // The CLI writes and checks traces (test 5); an up-to-date build is quick.
  const built = spawnSync('cargo', ['build', '-q', '-p', 'paxos-cli'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Opens `path` (relative to the served dist/) in a fresh context; `body` gets the page and a function opening more
 * guarded pages; afterwards checks every guard and saves `shot`. */
async function withPage(shot, body, { path = '' } = {}) {
  const opened = [];
  const open = async (p) => {
    const g = await guardedPage(suite.browser, { acceptDownloads: true });
    opened.push(g);
    await g.page.goto(suite.server.url + p);
    await g.page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    return g.page;
  };
  const page = await open(path);
  try {
    await body(page, open);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    for (const { problems } of opened) {
      assert.deepEqual(problems.outside, [], 'no request may leave 127.0.0.1');
      assert.deepEqual(problems.console, [], 'no console errors');
    }
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, 'FAILED-' + shot), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    for (const { context } of opened) await context.close();
  }
}

const node = (page, i) => page.locator(`g.node[data-node="${i}"]`);
const learned = (page, i) => page.locator(`tr[data-learner="${i}"] td.learned`);
const learnedAll = (page) => page.locator('td.learned').allInnerTexts();
const alert = (page) => page.locator('.refusal[role=alert]');

/** The timeline's "moment A / B" label as { at, len }. */
async function moment(page, scope = page) {
  const m = /moment (\d+) \/ (\d+)/.exec(await scope.locator('.timeline .moment').innerText());
  return { at: Number(m[1]), len: Number(m[2]) };
}


async function pause(page) {
  await page.getByRole('button', { name: 'Pause' }).click();
}

async function crash(page, i) {
  await node(page, i).locator('.disc').click();
  await page.getByRole('button', { name: `Crash node ${i}` }).click();
}

const waitLearned = (page, value, nodes = [0, 1, 2]) =>
  Promise.all(nodes.map((i) => learned(page, i).filter({ hasText: value }).waitFor({ timeout: 15000 })));

test('slider: rewind, Step back, and acting in the past forks the run', () => withPage('20-rewind-fork.png', async (page) => {
  await propose(page, 'hello', '0');
  await play(page);
  await waitLearned(page, 'hello');
  await pause(page);
  const end = await moment(page);
  assert.ok(end.len > 10 && end.at === end.len, `at the live end: ${JSON.stringify(end)}`);
  assert.equal(await page.locator('#jump-end').count(), 0);
  // Drag the slider back to moment 3: nothing is learned yet there.
  await page.getByRole('slider', { name: 'Moment' }).fill('3');
  assert.deepEqual(await moment(page), { at: 3, len: end.len });
  assert.deepEqual(await learnedAll(page), ['—', '—', '—']);
  assert.equal(await page.locator('#timeline').getAttribute('aria-valuetext'), `moment 3 of ${end.len}`);
  assert.match(await page.locator('.hint.rewound').innerText(), /^Rewound: Play or Step replays this run/);
  await page.getByRole('button', { name: 'Step back' }).click();
  assert.deepEqual(await moment(page), { at: 2, len: end.len });
  // Forward again with the slider replays the same run, then back once more.
  await page.locator('#timeline').fill(String(end.len));
  await waitLearned(page, 'hello');
  await page.locator('#timeline').fill('2');
  assert.equal(await page.locator('.fork-mark').count(), 0);
  // Crashing node 2 in the past discards the old future: a fork mark, and the slider ends at the new moment.
  await crash(page, 2);
  assert.deepEqual(await moment(page), { at: 3, len: 3 });
  assert.equal(await page.locator('#timeline').getAttribute('max'), '3');
  assert.equal(await page.locator('.fork-mark').count(), 1);
  assert.match(await page.locator('.fork-mark').getAttribute('title'), /Forked at moment 2/);
  assert.equal(await page.locator('#jump-end').count(), 0);
  assert.match(await node(page, 2).getAttribute('aria-label'), /^Node 2, crashed/);
  await page.screenshot({ path: join(SHOTS, '20a-forked.png'), fullPage: true });
  // The forked run goes on from there: the value is still chosen by nodes 0 and 1.
  await play(page);
  await waitLearned(page, 'hello', [0, 1]);
  await pause(page);
  assert.equal(await learned(page, 2).innerText(), '—');
}));

test('space-time diagram and cluster view share the selected message', () => withPage('21-diagram-selection.png', async (page) => {
  await propose(page, 'v', '0');
  await play(page, '2');
  await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) >= 12);
  await pause(page);
  const arrow = (id) => page.locator(`svg.spacetime-svg g.arrow[data-msg="${id}"]`);
  const msg = (id) => page.locator(`svg.cluster g.msg[data-msg="${id}"]`);
  // Click the arrow of m1 (node 0 → node 1) in the diagram.
  await arrow('m1').locator('.arrow-hit').click();
  assert.match(await arrow('m1').getAttribute('class'), /\bselected\b/);
  assert.equal(await page.locator('svg.spacetime-svg g.arrow.selected').count(), 1);
  assert.match(await msg('m1').getAttribute('class'), /\bselected\b/);
  assert.equal(await msg('m1').locator('.selection-ring').count(), 1);
  assert.match(await page.locator('section.selection h3').innerText(), /^Message m1: prepare from 0 to 1/);
  await page.locator('.stage').screenshot({ path: join(SHOTS, '21a-arrow-selected.png') });
  // Selecting m2 in the cluster view moves the highlight in the diagram.
  await msg('m2').locator('.msg-hit').click();
  assert.match(await arrow('m2').getAttribute('class'), /\bselected\b/);
  assert.doesNotMatch(await arrow('m1').getAttribute('class'), /\bselected\b/);
  assert.match(await page.locator('section.selection h3').innerText(), /^Message m2: prepare from 0 to 2/);
  // Clicking the selected arrow again clears the selection everywhere.
  await arrow('m2').locator('.arrow-hit').click();
  assert.equal(await page.locator('g.arrow.selected, g.msg.selected').count(), 0);
  await arrow('m1').locator('.arrow-hit').click();
  // Once the run goes quiet and the window slides past its messages, the diagram says so instead of showing empty
  // lanes; dragging the timeline back brings the arrows back.
  assert.equal(await page.locator('.st-quiet').count(), 0);
  await play(page);
  await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) >= 800);
  await pause(page);
  assert.match(await page.locator('.st-quiet').textContent(), /^Quiet since t=\d+: nothing was sent in the last 400 time units/);
  assert.equal(await page.locator('svg.spacetime-svg g.arrow').count(), 0);
  await page.getByRole('slider', { name: 'Moment' }).fill('20');
  assert.equal(await page.locator('.st-quiet').count(), 0);
  assert.ok(await page.locator('svg.spacetime-svg g.arrow').count() > 0);
}));

test('the diagram draws only the message kinds chosen under it, and arrows= chooses them from the URL', () => withPage('21b-diagram-kinds.png', async (page, open) => {
  // A Multi-Paxos leader's heartbeats outnumber everything else in the diagram.
  await propose(page, 'v', '0');
  await play(page, '3');
  await page.waitForFunction(() => document.querySelectorAll('svg.spacetime-svg g.arrow, .st-kind').length > 0
    && Number(document.querySelector('.clock').dataset.time) >= 300);
  await pause(page);
  const arrows = (kind) => page.locator(`svg.spacetime-svg g.arrow.kind-${kind}`);
  assert.ok(await arrows('heartbeat').count() > 0, 'heartbeats are drawn');
  const others = await page.locator('svg.spacetime-svg g.arrow:not(.kind-heartbeat)').count();
  assert.ok(others > 0);
  await page.getByRole('checkbox', { name: 'Show heartbeat arrows' }).uncheck();
  assert.equal(await arrows('heartbeat').count(), 0);
  assert.equal(await page.locator('svg.spacetime-svg g.arrow').count(), others, 'every other arrow stays');
  // The address bar keeps the choice, so a copied address shows the same arrows.
  await page.waitForFunction(() => /[?&]arrows=prepare,promise,accept,accepted,reject,decided,catch_up,propose(&|$)/.test(location.search));
  await page.locator('.stage').screenshot({ path: join(SHOTS, '21c-no-heartbeats.png') });
  // A view setting: a reset keeps it, and the event log's filters, which their selects keep showing, too.
  await page.selectOption('#log-node', '1');
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  assert.equal(await page.getByRole('checkbox', { name: 'Show heartbeat arrows' }).isChecked(), false);
  assert.equal(await page.getByRole('checkbox', { name: 'Show prepare arrows' }).isChecked(), true);
  assert.equal(await page.locator('#log-node').inputValue(), '1');
  await propose(page, 'x', '0');
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  const lines = await page.locator('.log-lines li').allInnerTexts();
  assert.ok(lines.length > 0 && lines.every((l) => /\b1\b|->1|1->/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /0->1/.test(l)) && !lines.some((l) => /0->2|0->0/.test(l)), lines.join('\n'));
  // A filter that matches nothing yet says so, rather than that nothing happened.
  await page.selectOption('#log-kind', { label: 'violations' });
  assert.equal(await page.locator('.log-lines li').count(), 0);
  assert.equal(await page.locator('section.log .hint:not(h2 .hint)').innerText(), 'No line matches these filters yet.');
  await page.selectOption('#log-kind', '');
  // From the URL, for an embedding: only the kinds listed are checked and drawn.
  const chosen = await open('?mode=multi&arrows=prepare,promise');
  await propose(chosen, 'w', '0');
  await chosen.getByRole('button', { name: 'Step', exact: true }).click();
  await chosen.getByRole('button', { name: 'Step', exact: true }).click();
  assert.equal(await chosen.getByRole('checkbox', { name: 'Show prepare arrows' }).isChecked(), true);
  assert.equal(await chosen.getByRole('checkbox', { name: 'Show accept arrows' }).isChecked(), false);
  assert.ok(await chosen.locator('svg.spacetime-svg g.arrow.kind-prepare').count() > 0);
  assert.equal(await chosen.locator('svg.spacetime-svg g.arrow:not(.kind-prepare):not(.kind-promise)').count(), 0);
  // Single-decree runs send no heartbeats, so there is no box for them.
  const single = await open('');
  assert.equal(await single.getByRole('checkbox', { name: 'Show heartbeat arrows' }).count(), 0);
  assert.equal(await single.locator('.st-kind input').count(), 6);
  const bad = await open('?arrows=prepare,heartbeats');
  assert.match(await bad.getByRole('alert').filter({ hasText: 'page address' }).innerText(),
    /URL parameter `arrows`: unknown message kind “heartbeats”; the kinds are all, prepare, promise/);
  assert.equal(await bad.locator('.st-kind input:checked').count(), 6, 'ignored: every kind is drawn');
}, { path: '?mode=multi' }));

test('a #run= link reopens the same run at the same moment in a new browser', () => withPage('22-link-round-trip.png', async (page, open) => {
  await crash(page, 2);
  await propose(page, 'shared', '0');
  await play(page);
  await waitLearned(page, 'shared', [0, 1]);
  await pause(page);
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step back' }).click();
  const url = page.url();
  assert.match(url, /#run=1\.[A-Za-z0-9_-]+$/);
  assert.equal(await page.locator('#share-link').inputValue(), url, 'the Share field holds the address bar');
  const before = {
    moment: await moment(page), learned: await learnedAll(page), safety: await page.locator('#safety').innerText(),
    node2: await node(page, 2).getAttribute('aria-label'), clock: await page.locator('.clock').getAttribute('title'),
  };
  assert.equal(before.moment.at, before.moment.len - 3);
  const other = await open(url.slice(suite.server.url.length));
  assert.notEqual(other.context(), page.context());
  assert.deepEqual(await moment(other), before.moment);
  assert.deepEqual(await learnedAll(other), before.learned);
  assert.equal(await other.locator('#safety').innerText(), before.safety);
  assert.equal(await node(other, 2).getAttribute('aria-label'), before.node2);
  assert.match(before.node2, /crashed/);
  assert.equal(await other.locator('.clock').getAttribute('title'), before.clock);
  await other.screenshot({ path: join(SHOTS, '22a-link-opened.png'), fullPage: true });
  // The same link pasted into the address bar of a playground already open on another run (only the hash changes,
  // so the page does not reload) opens the run in place.
  await other.getByRole('button', { name: 'Reset with these settings' }).click();
  assert.equal((await moment(other)).len, 0);
  await other.evaluate((u) => { location.href = u; }, url);
  await other.waitForFunction((m) => document.querySelector('#timeline').getAttribute('aria-valuetext') === m,
    `moment ${before.moment.at} of ${before.moment.len}`);
  assert.deepEqual(await learnedAll(other), before.learned);
}));

test('bad links and unknown URL parameters: an inline message and the default cluster', () => withPage('23-bad-link.png', async (page) => {
  const cases = [
    ['#run=garbage', /This link could not be opened: .*version number/],
    ['#run=1.AAAA', /This link could not be opened: .*(truncated|damaged)/],
    ['#run=9.AAAA', /This link could not be opened: .*version 9.*newer playground/],
    ['?colour=red', /unknown URL parameter `colour`/],
  ];
  for (const [suffix, message] of cases) {
    await page.goto('about:blank');
    await page.goto(suite.server.url + suffix);
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    assert.match(await alert(page).innerText(), message, suffix);
    assert.equal(await page.locator('g.node').count(), 3, `${suffix}: the default 3-node cluster`);
    assert.equal(await page.locator('#panic').isHidden(), true, `${suffix}: no panic`);
    assert.match(await page.locator('#safety').innerText(), /Safety holds/);
    // What was ignored leaves the address bar, so a copied link does not carry it on.
    assert.equal(new URL(page.url()).search, '', suffix);
  }
  // The message can be dismissed.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await alert(page).count(), 0);
  await page.goto(suite.server.url + '#run=9.AAAA');
  await alert(page).waitFor();
}));

test('trace import and export round trip with the CLI', () => withPage('24-trace-import.png', async (page) => {
  // A counterexample from the fuzzer: its first failing seed, written as a trace by `paxos run`.
  const fuzz = spawnSync(PAXOS, ['fuzz', '--bug', 'minority-quorum', '--seeds', '200'], { encoding: 'utf8' });
  assert.equal(fuzz.status, 1, fuzz.stdout + fuzz.stderr);
  const seed = /first seed (\d+)/.exec(fuzz.stdout)[1];
  const trace = join(TMP, `seed-${seed}.json`);
  const run = spawnSync(PAXOS, ['run', '--seed', seed, '--bug', 'minority-quorum', '--trace', trace], { encoding: 'utf8' });
  assert.match(run.stdout, /violation: elected_without_quorum/, run.stderr);
  await page.setInputFiles('#import-trace', trace);
  const banner = page.locator('.banner.violated');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Safety violated:\s*phase 1 without a quorum/);
  const end = await moment(page);
  assert.equal(end.at, end.len, 'a trace opens at its end');
  assert.match(await page.locator('.bug-warning').innerText(), /Running with bugs: minority-quorum/);
  await page.screenshot({ path: join(SHOTS, '24a-trace-violation.png'), fullPage: true });

  const exported = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-trace').click()]);
    const file = join(TMP, name);
    await download.saveAs(file);
    assert.match(download.suggestedFilename(), new RegExp(`^paxos-run-seed${seed}\\.json$`));
    return { file, replay: spawnSync(PAXOS, ['replay', file], { encoding: 'utf8' }) };
  };
  // Exported at its end, the run reproduces the violation: `paxos replay` exits 1 and says so.
  const whole = await exported('whole.json');
  assert.equal(whole.replay.status, 1, whole.replay.stdout + whole.replay.stderr);
  assert.match(whole.replay.stdout, /violation reproduced: elected_without_quorum/);
  // One moment back the violation has not happened; that prefix replays cleanly.
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.locator('.banner.ok').waitFor();
  const prefix = await exported('prefix.json');
  assert.equal(prefix.replay.status, 0, prefix.replay.stdout + prefix.replay.stderr);
  assert.match(prefix.replay.stdout, /reproduced exactly/);
  assert.equal(JSON.parse(readFileSync(prefix.file, 'utf8')).format, 'paxos-playground-trace');
  // A file that is not a trace is refused inline.
  await page.setInputFiles('#import-trace', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  assert.match(await alert(page).innerText(), /This trace could not be opened/);
  assert.equal(await page.locator('.banner.ok').count(), 1, 'the run shown is unchanged');
}));

test('iframe parameters: embed, scenario, controls, theme, autoplay and step', () => withPage('25-embed-dueling.png', async (page) => {
  // No page chrome in an iframe, only a heading for screen readers.
  assert.equal(await page.locator('header h1:not(.sr-only), .how-to-read').count(), 0);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Paxos playground');
  assert.equal(await page.locator('.app.embedded.theme-dark').count(), 1);
  assert.match(await page.locator('#lesson-title').innerText(), /^Dueling proposers$/);
  assert.equal(await page.locator('#scenario').inputValue(), '3');
  for (const present of ['#play', '#timeline']) assert.equal(await page.locator(present).count(), 1, present);
  for (const absent of ['#value', 'section.share', 'section.selection', '.spacetime', 'td.learned', '.legend', '.log-lines']) {
    assert.equal(await page.locator(absent).count(), 0, `${absent} is not listed in controls`);
  }
  assert.equal((await moment(page)).at, 0);

  // A scenario embedded without controls is a figure: the drawing, the narration and the timeline, playing.
  await page.goto(suite.server.url + '?embed=1&scenario=happy-path&autoplay=1');
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await page.locator('.chosen-centre .chosen-value').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.app.figure').count(), 1);
  for (const absent of ['#play', '.spacetime', 'section.share', '.legend']) {
    assert.equal(await page.locator(absent).count(), 0, `a figure has no ${absent}`);
  }
  await page.screenshot({ path: join(SHOTS, '25a-embed-autoplay.png'), fullPage: true });

  await page.goto(suite.server.url + '?embed=1&scenario=happy-path&step=5&theme=light&controls=time,timeline');
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  assert.equal((await moment(page)).at, 5);
  assert.equal(await page.locator('.app.theme-light').count(), 1);
  assert.equal(await page.locator('.clock').getAttribute('data-step'), '4', 'moment 5 is the proposal and four events');
  // Back to the dark, trimmed dueling embed for the screenshot.
  await page.goto(suite.server.url + '?embed=1&scenario=dueling&controls=time,timeline,scenarios&theme=dark');
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
}, { path: '?embed=1&scenario=dueling&controls=time,timeline,scenarios&theme=dark' }));

/** What `mount(el, options)` throws for each options object, as "Error: message" (or "no error"). */
const mountErrors = (page, list) => page.evaluate(async (list) => {
  const { mount } = await import(new URL('./paxos-web.js', location.href).href);
  return list.map((o) => {
    try { mount(document.createElement('div'), o).destroy(); return 'no error'; } catch (e) { return `${e.name}: ${e.message}`; }
  });
}, list);

test('mount(): two independent playgrounds on one page, driven from JavaScript', () => withPage('26-mount-api.png', async (page) => {
  await page.waitForFunction(() => window.playgroundsReady === true && !document.querySelector('.paxos-static'));
  const adopt = page.locator('#figure-adopt');
  const duel = page.locator('#figure-duel');
  assert.equal(await adopt.locator('svg.cluster').count(), 1);
  assert.equal(await duel.locator('svg.cluster').count(), 1);
  assert.equal(await duel.locator('svg.spacetime-svg').count(), 1);
  assert.match(await adopt.locator('[id$="lesson-title"]').innerText(), /Adopting an accepted value/);
  // Each mounted playground has its own element ids (p1-…, p2-…), so labels and headings stay apart.
  // (Each lives in a shadow root of its element, so its ids could not clash with the page's anyway.)
  const ids = await page.evaluate(() => [...document.querySelectorAll('.figure')]
    .flatMap((f) => [...f.shadowRoot.querySelectorAll('[id]')]).map((e) => e.id));
  assert.equal(new Set(ids).size, ids.length, 'element ids are unique on the page');
  assert.ok(ids.includes('p1-lesson-title') && ids.includes('p2-lesson-title'), ids.join(' '));
  assert.equal(await page.locator('#iframe-example').count(), 1);
  assert.match(page.url(), /embed-example\.html$/, 'a mounted playground never changes the address bar');
  const duelLen = (await moment(page, duel)).len;

  await page.evaluate(() => window.adopt.play());
  await page.waitForFunction(() => /moment ([1-9]\d*) /.test(document.querySelector('#figure-adopt').shadowRoot.querySelector('.moment').textContent));
  await page.waitForTimeout(300);
  assert.deepEqual(await moment(page, duel), { at: 0, len: duelLen }, 'the duel figure did not move');
  await page.evaluate(() => window.adopt.pause());
  await adopt.locator('.app[data-playing=false]').waitFor();
  // A figure has no Play button of its own (its narration's Next plays it); the duel asked for the time controls.
  assert.equal(await adopt.getByRole('button', { name: 'Play' }).count(), 0);
  assert.equal(await duel.getByRole('button', { name: 'Play' }).count(), 1);

  // Acting on the rewound scenario forks it: a proposal and a crash are its only moments now.
  await page.evaluate(() => { window.duel.propose(0, 'x'); window.duel.crash(1); });
  assert.deepEqual(await moment(page, duel), { at: 2, len: 2 });
  assert.equal(await duel.locator('.fork-mark').count(), 1);
  assert.match(await duel.locator('g.node[data-node="1"]').getAttribute('aria-label'), /^Node 1, crashed/);
  assert.match(await adopt.locator('g.node[data-node="1"]').getAttribute('aria-label'), /^Node 1, up/);
  assert.match(await page.evaluate(() => { try { window.duel.propose(0, ''); } catch (e) { return e.message; } }), /empty/);
  assert.match(await page.evaluate(() => { try { window.duel.crash(300); } catch (e) { return e.message; } }), /node 300 does not exist/);
  // Keys reach only the playground that has the focus.
  const adoptBefore = await moment(page, adopt);
  await duel.getByRole('button', { name: 'Step back' }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await moment(page, duel), { at: 1, len: 2 });
  assert.deepEqual(await moment(page, adopt), adoptBefore, 'the other figure ignored the key');
  await page.screenshot({ path: join(SHOTS, '26a-mount-before-destroy.png'), fullPage: true });
  await page.evaluate(() => window.duel.destroy());
  assert.equal(await duel.locator('svg').count(), 0);
  assert.equal(await adopt.locator('svg.cluster').count(), 1, 'the other figure lives on');

  // A bad option is an error naming it (the same module the page imported, so already initialised).
  const errors = await mountErrors(page, [{ scenario: 'nope' }, { controls: ['levers'] }, { theme: 'pink' }]);
  assert.match(errors[0], /^Error: paxos playground: option `scenario`: no scenario “nope”/);
  assert.match(errors[1], /^Error: paxos playground: option `controls`: unknown panel “levers”/);
  assert.match(errors[2], /^Error: paxos playground: option `theme` must be light, dark, auto or inherit, not “pink”/);
}, { path: 'embed-example.html' }));

// serde-wasm-bindgen reads only the keys a struct declares and its messages do not name the key, so mount() checks
// each key on its own first.
test('mount() names an unknown or ill-typed option in its error', () => withPage('28-mount-bad-options.png', async (page) => {
  await page.waitForFunction(() => window.playgroundsReady === true && !document.querySelector('.paxos-static'));
  const [colour, step, embed] = await mountErrors(page, [{ colour: 1 }, { step: 'soon' }, { embed: 'yes' }]);
  assert.match(colour, /^Error: paxos playground: unknown option `colour`; the options are embed, scenario/);
  assert.match(step, /^Error: paxos playground: option `step` must be a whole number, not “soon”/);
  assert.match(embed, /^Error: paxos playground: option `embed` must be true or false, not “yes”/);
  const [object, list, nothing] = await mountErrors(page, [{ scenario: { id: 'dueling' } }, [1], { step: undefined }]);
  assert.match(object, /^Error: paxos playground: option `scenario` must be a string, a number, a boolean or a list/);
  assert.match(list, /^Error: paxos playground: the options must be an object/);
  assert.equal(nothing, 'no error', 'an undefined option is left out');
}, { path: 'embed-example.html' }));

/** Presses Next and waits until the stage has played (the moment moved and the run is paused again) and shows as
 * stage `stage` of `stages`. */
async function next(page, stage, stages) {
  const before = (await moment(page)).at;
  await page.locator('#tour-next').click();
  await page.waitForFunction((b) => !document.querySelector('.timeline .moment').textContent.startsWith(`moment ${b} `)
    && document.querySelector('.app').dataset.playing === 'false', before, { timeout: 15000 });
  await page.locator('.lesson .hint', { hasText: `Stage ${stage} of ${stages}` }).waitFor();
}

/** Waits until the run is paused (a stage opened from the page has played). */
const paused = (page) => page.waitForSelector('.app[data-playing=false]', { timeout: 15000 });

const stageCount = async (page) => Number(/Stage \d+ of (\d+)/.exec(await page.locator('.lesson').innerText())[1]);

test('the Run and Network forms show the settings of the run that opened', () => withPage('30-forms-follow-run.png', async (page) => {
  const forms = async () => ({
    seed: await page.locator('#seed').inputValue(),
    amnesia: await page.locator('#bug-amnesia').isChecked(),
    min: await page.locator('#lat-min').inputValue(),
    max: await page.locator('#lat-max').inputValue(),
  });
  assert.deepEqual(await forms(), { seed: '1', amnesia: false, min: '20', max: '60' });
  await page.selectOption('#scenario', '9'); // 10. Bug: acceptor amnesia
  await page.locator('.bug-warning').waitFor();
  assert.deepEqual(await forms(), { seed: '1', amnesia: true, min: '10', max: '10' });
  await page.selectOption('#scenario', '3'); // 4. Dueling proposers
  await page.waitForFunction(() => document.querySelector('#seed').value === '101');
  assert.deepEqual(await forms(), { seed: '101', amnesia: false, min: '15', max: '25' });
  // A typed but unapplied value stays until the run changes.
  await page.locator('#lat-max').fill('99');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  assert.equal(await page.locator('#lat-max').inputValue(), '99');
  // The mode menu follows the runs too, even back to the choice a person made in it by hand.
  await page.selectOption('#mode', 'multi');
  await page.selectOption('#scenario', '0'); // 1. Happy path, single-decree
  await page.waitForFunction(() => document.querySelector('#mode').value === 'single');
  await page.selectOption('#scenario', '7'); // 8. Multi-Paxos leader change
  await page.locator('#lesson-title', { hasText: 'Multi-Paxos leader change' }).waitFor();
  await page.waitForFunction(() => document.querySelector('#mode').value === 'multi');
}));

test('URL parameters set the first run in the CLI\'s words; a bad one is named and ignored', () => withPage('31-url-settings.png', async (page, open) => {
  assert.equal(await page.locator('g.node[role=button]').count(), 5);
  assert.equal(await page.locator('#mode').inputValue(), 'multi');
  assert.equal(await page.locator('#seed').inputValue(), '7');
  assert.equal(await page.locator('#bug-amnesia').isChecked(), true);
  assert.equal(await page.locator('#bug-ignore-accepted').isChecked(), false);
  assert.deepEqual([await page.locator('#loss').inputValue(), await page.locator('#lat-min').inputValue(),
    await page.locator('#lat-max').inputValue()], ['10', '5', '15']);
  assert.match(await page.locator('.bug-warning').innerText(), /amnesia/);
  // The banner names the bug too: an embedding may hide the Run panel.
  assert.match(await page.locator('#safety').innerText(), /Safety holds.*Running with bugs: amnesia\./s);
  // The address bar now also holds the run; opening it again shows the same run (the `#run=` wins, no complaint).
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => location.hash.startsWith('#run=1.'));
  const again = await open(new URL(page.url()).search + new URL(page.url()).hash);
  assert.equal(await again.locator('g.node[role=button]').count(), 5);
  assert.deepEqual(await moment(again), await moment(page));
  assert.equal(await again.locator('.refusal').count(), 0);
  // Out of range: named, ignored (the default cluster), and gone from the address bar.
  const bad = await open('?nodes=12&mode=multi');
  assert.match(await bad.getByRole('alert').filter({ hasText: 'page address' }).innerText(),
    /The page address has a problem: URL parameter `nodes` must be from 3 to 9, not 12\. It was ignored\./);
  assert.equal(await bad.locator('g.node[role=button]').count(), 3);
  assert.equal(new URL(bad.url()).search, '');
  // mount() takes the same settings, with arrays for lists and ranges.
  const errors = await mountErrors(page, [
    { nodes: 4, mode: 'multi', bug: ['minority-quorum'], latency: [5, 15], loss: 2.5 },
    { nodes: 'many' }, { bug: ['typo'] }, { scenario: 'dueling', seed: 3 }, { nodes: 5, q1: 2, q2: 2 },
  ]);
  assert.equal(errors[0], 'no error');
  assert.match(errors[1], /^Error: paxos playground: option `nodes` must be a whole number, not “many”/);
  assert.match(errors[2], /^Error: paxos playground: option `bug`: unknown bug `typo`/);
  assert.match(errors[3], /option `seed` cannot be combined with `scenario`/);
  assert.match(errors[4], /impossible cluster: .*do not intersect/);
}, { path: '?seed=7&nodes=5&mode=multi&bug=amnesia&loss=10&latency=5-15' }));

test('the guided tour: what Paxos is for, Next, Back, the next scenario, and the amnesia bug breaking agreement', () => withPage('27-tour-amnesia.png', async (page) => {
  // The tour starts from the page's own button: it says what Paxos is for and plays its first stage at once.
  await page.getByRole('button', { name: 'Start the guided tour' }).click();
  assert.match(await page.locator('#lesson-title').innerText(), /^Tour 1\/11: Happy path/);
  assert.match(await page.locator('.lesson .tour-intro').innerText(), /^Paxos gets a cluster to agree on one value despite crashes and lost messages\./);
  const stages = await stageCount(page);
  await page.locator('.lesson .hint', { hasText: `Stage 1 of ${stages}` }).waitFor();
  await paused(page);
  assert.ok((await moment(page)).at > 0, 'stage 1 played without a press');
  await page.selectOption('#speed', '4');
  const narrations = [null, await page.locator('#narration').innerText()];
  const ends = [0, (await moment(page)).at];
  for (let k = 2; k <= stages; k++) {
    await next(page, k, stages);
    narrations.push(await page.locator('#narration').innerText());
    ends.push((await moment(page)).at);
    assert.notEqual(narrations[k], narrations[k - 1], `stage ${k} has its own narration`);
    if (k === 2) {
      assert.equal(await page.locator('.lesson .tour-intro').count(), 0, 'the introduction goes with stage 1');
      // Back returns to the end of stage 1, with its narration.
      await page.locator('#tour-back').click();
      await page.locator('.lesson .hint', { hasText: `Stage 1 of ${stages}` }).waitFor();
      assert.equal(await page.locator('#narration').innerText(), narrations[1]);
      assert.equal((await moment(page)).at, ends[1]);
      await next(page, 2, stages);
      assert.equal((await moment(page)).at, ends[2]);
    }
  }
  assert.match(narrations[1], /Node 0 proposes the value hello/);
  // The last stage, played to its end, closes with the scenario's summary.
  assert.match(narrations[stages], /Summary: one round trip to a majority/);
  await waitLearned(page, 'hello');
  await page.screenshot({ path: join(SHOTS, '27a-tour-end-of-1.png'), fullPage: true });
  assert.equal(await page.locator('#tour-next').innerText(), 'Next scenario');
  await page.locator('#tour-next').click();
  await page.locator('#lesson-title', { hasText: 'Tour 2/11: Adopting an accepted value' }).waitFor();
  await page.locator('.lesson .hint', { hasText: 'Stage 1 of' }).waitFor();
  await paused(page);
  // Back to the start of stage 1, and Back again to the end of scenario 1.
  await page.locator('#tour-back').click();
  await page.waitForFunction(() => document.querySelector('.timeline .moment').textContent.startsWith('moment 0 '));
  await page.locator('#tour-back').click();
  await page.locator('#lesson-title', { hasText: 'Tour 1/11' }).waitFor();
  assert.equal((await moment(page)).at, ends[stages]);
  assert.match(await page.locator('#narration').innerText(), /Summary/);

  // The amnesia scenario from the picker (not guided), played to its end.
  await page.selectOption('#scenario', { label: '10. Bug: acceptor amnesia' });
  await page.locator('#lesson-title', { hasText: /^Bug: acceptor amnesia$/ }).waitFor();
  const amnesia = await stageCount(page);
  await paused(page);
  for (let k = 2; k <= amnesia; k++) {
    await next(page, k, amnesia);
    if (k === 2) assert.match(await page.locator('.banner.violated').innerText(), /promise/i);
  }
  assert.equal(await page.locator('#tour-next').isDisabled(), true, 'the end of a scenario outside the tour');
  const end = await moment(page);
  assert.equal(end.at, end.len);
  await waitLearned(page, 'second', [1, 2]);
  assert.match(await page.locator('.banner.violated').innerText(), /violations in all/);
  assert.match(await page.locator('.log-lines').innerText(), /VIOLATION agreement: two values chosen in slot 0: first at 1\.0 and second at 1\.2/);
  assert.match(await page.locator('svg.spacetime-svg .violation-mark title').allTextContents().then((t) => t.join('\n')), /t=70: two values chosen in slot 0/);
  // The picker follows the tour back to scenario 1 (a person last picked scenario 9 in it).
  await page.getByRole('button', { name: 'Start the guided tour' }).click();
  await page.locator('#lesson-title', { hasText: 'Tour 1/11' }).waitFor();
  await page.waitForFunction(() => document.querySelector('#scenario').value === '0');
}));

// A copied address reopens the stage it was copied at, for every stage (found: amnesia, Next ×4, `moment=42` opened
// at the summary, "Stage 5 of 5", where the page showed stage 4).
test('an address copied at any stage of a scenario reopens at that stage', () => withPage('29b-stage-links.png', async (page, open) => {
  const stages = await stageCount(page);
  assert.equal(stages, 4);
  for (let k = 1; k <= stages; k++) {
    await next(page, k, stages);
    await page.waitForFunction(() => /moment=\d+/.test(location.search));
    const shown = { stage: await page.locator('.lesson .stage-count').innerText(), narration: await page.locator('#narration').innerText(), at: (await moment(page)).at };
    // What Copy link copies: the Share panel's link.
    const copied = new URL(await page.locator('#share-link').inputValue());
    assert.equal(copied.search, new URL(page.url()).search, 'the address bar holds the same');
    const again = await open(copied.search + copied.hash);
    await again.locator('.lesson .stage-count').waitFor();
    assert.deepEqual({ stage: await again.locator('.lesson .stage-count').innerText(), narration: await again.locator('#narration').innerText(), at: (await moment(again)).at },
      shown, `stage ${k}: ${copied.search}`);
  }
}, { path: '?scenario=amnesia' }));

// The banner names the first violation of each rule: the amnesia lesson breaks a promise first, then agreement.
test('the amnesia scenario ends with the banner naming agreement', () => withPage('29-amnesia-banner.png', async (page) => {
  await page.getByRole('slider', { name: 'Moment' }).fill('42');
  assert.match(await page.locator('.banner.violated').innerText(), /agreement/);
}, { path: '?scenario=amnesia' }));

// A new violation pauses a run, but a tour stage plays to its end: its narration is about what follows.
test('after a violation, Next still plays the whole stage (amnesia stages 3 and 4)', () => withPage('29a-amnesia-stage.png', async (page) => {
  await page.selectOption('#speed', '4');
  for (let k = 1; k <= 3; k++) await next(page, k, 4);
  assert.equal((await moment(page)).at, 30, 'stage 3 is crash, propose and 8 events after moment 20');
  await next(page, 4, 4);
  assert.equal((await moment(page)).at, 42);
}, { path: '?scenario=amnesia' }));

// What if a rule were missing: the same scenario, its commands and narration, with a bug switched on.
test('What if: a scenario reopened with a bug breaks agreement where the rule would have saved it', () => withPage('32-what-if.png', async (page, open) => {
  assert.equal(await page.locator('#what-if').inputValue(), '');
  assert.match(await page.locator('.rewound').innerText(), /^The scenario is recorded ahead: Next plays its next stage/);
  await page.selectOption('#what-if', 'ignore-accepted');
  await page.locator('.what-if-note').waitFor();
  assert.match(await page.locator('.what-if-note').innerText(), /What if: the ignore-accepted bug is on\. The narration describes correct Paxos/);
  assert.match(await page.locator('#lesson-title').innerText(), /Proposer crashes after phase 1/);
  assert.match(await page.locator('#safety').innerText(), /Running with bugs: ignore-accepted/);
  // Reopened, it plays its first stage.
  await page.locator('.lesson .hint', { hasText: 'Stage 1 of 4' }).waitFor();
  await paused(page);
  // The menu's words fit it: "What if acceptors forget on restart", not a clipped sentence.
  const clipped = await page.locator('#what-if').evaluate((sel) => {
    const ctx = document.createElement('canvas').getContext('2d');
    const cs = getComputedStyle(sel);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
    return [...sel.options].map((o) => o.text).filter((t) => ctx.measureText(t).width > room);
  });
  assert.deepEqual(clipped, [], 'every What if choice fits the menu');
  await page.selectOption('#speed', '4');
  for (let k = 2; k <= 4; k++) await next(page, k, 4);
  assert.match(await page.locator('.banner.violated').innerText(), /agreement in slot 0.*Two values chosen in slot 0: hello at 1\.0 and other at 1\.2\./s);
  // The banner's button goes to the moment it broke; one moment earlier, safety still held.
  const end = await moment(page);
  await page.getByRole('button', { name: 'Show the moment it broke' }).click();
  await page.waitForFunction((at) => !document.querySelector('.moment').textContent.startsWith(`moment ${at} `), end.at);
  const broke = await moment(page);
  assert.ok(broke.at > 0 && broke.at < end.at, JSON.stringify({ broke, end }));
  assert.equal(await page.locator('.banner.violated').count(), 1);
  // The event log and the quorum overlay name the value the bug passed over, in the same words.
  assert.match(await page.locator('.log-lines').innerText(),
    /node 2: proposes \[0\] other, ignoring hello accepted at 1\.0 that a promise reported \(ignore-accepted bug\)/);
  assert.match(await page.locator('#adopted-why').innerText(),
    /Node 2 proposes \[0\] other, ignoring hello accepted at 1\.0 that a promise reported \(ignore-accepted bug\)/);
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.locator('.banner.ok').waitFor();
  // Back to the rules: the same scenario, safe.
  await page.selectOption('#what-if', '');
  await page.locator('.what-if-note').waitFor({ state: 'detached' });
  assert.equal(await page.locator('.banner.violated').count(), 0);
  // n and b are Next and Back, for a presenter at the keyboard.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await paused(page);
  await page.keyboard.press('n');
  await page.locator('.lesson .hint', { hasText: 'Stage 2 of 4' }).waitFor();
  await page.keyboard.press('b');
  await page.locator('.lesson .hint', { hasText: 'Stage 1 of 4' }).waitFor();
  // The URL asks the same question.
  const linked = await open('?scenario=partition&bug=minority-quorum');
  assert.equal(await linked.locator('#what-if').inputValue(), 'minority-quorum');
  // The promise of phase 1: with break-promise, the duel's rejected accept is taken and both values are chosen.
  const duel = await open('?scenario=dueling&bug=break-promise&step=1000');
  assert.equal(await duel.locator('#what-if').inputValue(), 'break-promise');
  const banner = await duel.locator('.banner.violated').innerText();
  assert.match(banner, /accepted below promise.*Acceptor 0 accepted left at 1\.0 in slot 0 below its promise 1\.1/s);
  assert.match(banner, /Two values chosen in slot 0: left at 1\.0 and right at 1\.1/);
  // At the moment it broke, node 0's ballot 1.0 has its acceptance below a promise explained in the quorum overlay.
  await duel.getByRole('button', { name: 'Show the moment it broke' }).click();
  await duel.locator('g.node[data-node="0"] .disc').click();
  assert.match(await duel.locator('section.quorum').innerText(),
    /Quorums for ballot 1\.0.*acceptor 0 had promised 1\.1 and accepted anyway: an acceptor must refuse any ballot below its promise \(the break-promise bug\)/s);
  // Why the highest ballot: node 2's phase 1 hears of red at 1.0 and blue at 1.1, and the overlay says why blue.
  const highest = await open('?scenario=highest-ballot&step=1000');
  await highest.locator('g.node[data-node="2"] .disc').click();
  assert.match(await highest.locator('section.quorum').innerText(),
    /Node 2 proposes \[0\] blue, adopted from the highest accepted ballot 1\.1, over red at 1\.0/);
  assert.match(await highest.locator('#safety').innerText(), /Safety holds/);
  // Why the highest ballot: with adopt-lowest, node 2's phase 1 hears of red at 1.0 and blue at 1.1 (chosen), takes
  // red, and red is chosen too.
  const lowest = await open('?scenario=highest-ballot&bug=adopt-lowest&step=1000');
  assert.equal(await lowest.locator('#what-if').inputValue(), 'adopt-lowest');
  assert.match(await lowest.locator('#lesson-title').innerText(), /Adopting the highest ballot/);
  assert.match(await lowest.locator('.banner.violated').innerText(), /Two values chosen in slot 0: blue at 1\.1 and red at 1\.2/);
  assert.match(await lowest.locator('.log-lines').innerText(),
    /node 2: proposes \[0\] red, adopted from ballot 1\.0, passing over blue accepted at the higher ballot 1\.1 \(adopt-lowest bug\)/);
  await lowest.locator('g.node[data-node="2"] .disc').click();
  assert.match(await lowest.locator('section.quorum').innerText(),
    /Quorums for ballot 1\.2.*Node 2 proposes \[0\] red, adopted from ballot 1\.0, passing over blue accepted at the higher ballot 1\.1 \(adopt-lowest bug\)/s);
  await lowest.screenshot({ path: join(SHOTS, '35-adopt-lowest.png'), fullPage: true });
}, { path: '?scenario=proposer-crash' }));

// The address bar names an unchanged scenario (with its What if and moment), so a reload or a copied address
// reopens it with its narration; once the run is changed, it holds the run's #run= link instead.
test('the address bar keeps a scenario by name until its run is changed', () => withPage('33-scenario-address.png', async (page) => {
  const search = () => new URL(page.url()).search;
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(search(), '?scenario=proposer-crash');
  await page.selectOption('#what-if', 'ignore-accepted');
  await page.waitForFunction(() => location.search.includes('bug=ignore-accepted'));
  // Reopened with the bug, it plays its first stage.
  await paused(page);
  await page.locator('.lesson .hint', { hasText: 'Stage 1 of 4' }).waitFor();
  await page.waitForFunction(() => /moment=\d+/.test(location.search));
  const at = (await moment(page)).at;
  assert.equal(search(), `?scenario=proposer-crash&bug=ignore-accepted&moment=${at}`);
  await page.reload();
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  assert.match(await page.locator('#lesson-title').innerText(), /Proposer crashes after phase 1/);
  assert.equal(await page.locator('#what-if').inputValue(), 'ignore-accepted');
  await page.locator('.lesson .hint', { hasText: 'Stage 1 of 4' }).waitFor();
  assert.equal((await moment(page)).at, at);
  // A crash changes the run: now it is a #run= link, and the query no longer names the scenario.
  await page.locator('g.node[data-node="1"] .disc').click();
  await page.keyboard.press('c');
  await page.waitForFunction(() => location.hash.startsWith('#run=1.'));
  assert.equal(search(), '');
}, { path: '?scenario=proposer-crash' }));
