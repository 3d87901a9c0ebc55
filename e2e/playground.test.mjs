// End-to-end tests: a person using the built playground (dist/) in Debian's Chromium. Run by scripts/test-web.sh:
//   node --test e2e/*.test.mjs
// Every test fails on a console error or on a request that leaves 127.0.0.1, and saves a screenshot in screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, guardedPage, propose, play, SHOTS } from './helpers.mjs';

const suite = browserSuite();

/** Opens a fresh playground; `body` gets the page; afterwards checks the guard and saves `shot`. */
async function withPage(shot, body, { allowConsoleErrors = false, query = '' } = {}) {
  const { context, page, problems } = await guardedPage(suite.browser);
  try {
    await page.goto(suite.server.url + query);
    await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
    await body(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    assert.deepEqual(problems.outside, [], 'no request may leave 127.0.0.1');
    if (!allowConsoleErrors) assert.deepEqual(problems.console, [], 'no console errors');
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, 'FAILED-' + shot), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

const node = (page, i) => page.locator(`g.node[data-node="${i}"]`);
const learned = (page, i) => page.locator(`tr[data-learner="${i}"] td.learned`);


async function selectNode(page, i) {
  await node(page, i).locator('.disc').click();
}

async function reset(page, { nodes, mode, bugs = [] } = {}) {
  if (nodes) await page.fill('#nodes', String(nodes));
  if (mode) await page.selectOption('#mode', mode);
  for (const b of bugs) await page.getByRole('checkbox', { name: `Enable bug: ${b}` }).check();
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
}

const chosenText = (page) => page.locator('#checker-chosen').innerText();

test('the page loads with the configured nodes and explains itself', () => withPage('01-loaded.png', async (page) => {
  assert.equal(await page.locator('g.node[role=button]').count(), 3);
  for (let i = 0; i < 3; i++) {
    const label = await node(page, i).getAttribute('aria-label');
    assert.match(label, new RegExp(`^Node ${i}, up`));
    assert.equal(await node(page, i).getAttribute('tabindex'), '0');
  }
  await assert.doesNotReject(page.getByText('Safety holds').waitFor());
  assert.match(await page.locator('.how-to-read').innerText(), /How to read this/);
  // The legend lists the kinds this run's mode sends (single-decree: no heartbeat, catch_up or propose), then
  // the value a message carries, lost messages and links.
  assert.equal(await page.locator('.legend li').count(), 9);
  assert.equal(await page.locator('.legend li').getByText('heartbeat').count(), 0);
  // Relative URLs: the app is served from a sub-path here (/playground/).
  assert.match(page.url(), /\/playground\/(#run=1\.[A-Za-z0-9_-]+)?$/);
}));

test('a fresh page says where to start: propose a value, or take the tour', () => withPage('01a-start-here.png', async (page) => {
  const start = page.locator('.start-here');
  assert.match(await start.innerText(), /^Paxos gets a cluster to agree on one value despite crashes and lost messages\. Propose a value, or take the tour\./);
  assert.deepEqual(await start.locator('button.primary').allInnerTexts(), ['Propose a value'], 'one primary action');
  // It lies over the middle of the drawing and covers no node.
  const card = await start.boundingBox();
  const svg = await page.locator('svg.cluster').boundingBox();
  assert.ok(card.y > svg.y && card.y + card.height < svg.y + svg.height, 'over the drawing');
  for (const d of await page.locator('.app:not(.picture) svg.cluster g.node .disc').all()) {
    const b = await d.boundingBox();
    assert.ok(b.x + b.width < card.x || b.x > card.x + card.width || b.y + b.height < card.y || b.y > card.y + card.height, 'no node under it');
  }
  await start.getByRole('button', { name: 'Propose a value' }).click();
  await start.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('blue'));
  await page.getByRole('button', { name: 'Pause' }).click();
  // A new run is fresh again; the tour starts from there too, and the prompt goes.
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  await start.getByRole('button', { name: 'Take the tour' }).click();
  await start.waitFor({ state: 'detached' });
  assert.match(await page.locator('#lesson-title').innerText(), /^Tour 1\/11: Happy path/);
}));

test('the Propose form says where a value goes, and keeps a node picked there', () => withPage('01b-propose-at.png', async (page) => {
  const at = page.locator('#propose-node');
  const auto = () => at.locator('option').first().innerText();
  assert.equal(await auto(), 'node 0');
  await selectNode(page, 2);
  await page.keyboard.press('Escape');
  assert.equal(await auto(), 'node 2, the one selected');
  await at.selectOption('1');
  await selectNode(page, 0);
  await page.keyboard.press('Escape');
  assert.equal(await at.inputValue(), '1', 'a node picked in the form stays picked');
  await page.getByRole('textbox', { name: 'Value' }).fill('kept');
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  assert.match(await page.locator('.log-lines').innerText(), /propose 1 kept/);
}));

test('Propose: the value is chosen and shown on every live learner', () => withPage('02-chosen.png', async (page) => {
  assert.equal(await page.locator('.paused-hint').count(), 0);
  await propose(page, 'hello');
  // Paused, the prepares wait at node 0: the page says how to let them go.
  assert.match(await page.locator('.paused-hint').innerText(), /^Paused: the messages wait at the sender\. Press Play/);
  await play(page);
  await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('hello'));
  // A status region, so a screen reader says it once it happens.
  assert.match(await page.getByRole('status').filter({ hasText: 'was chosen' }).innerText(), /^Checker: hello was chosen at ballot 1\.0/);
  assert.equal(await page.locator('.paused-hint').count(), 0);
  for (let i = 0; i < 3; i++) await assert.doesNotReject(learned(page, i).filter({ hasText: 'hello' }).waitFor());
  assert.match(await page.locator('#adopted-why').innerText(), /Node 0 proposes \[0\] hello \(no accepted value reported\)/);
  assert.match(await node(page, 1).getAttribute('aria-label'), /learned hello/);
  await page.getByRole('button', { name: 'Pause' }).click();
}));

test('crash 1 of 3: a value is still chosen', () => withPage('03-crash-one.png', async (page) => {
  await selectNode(page, 2);
  await page.getByRole('button', { name: 'Crash node 2' }).click();
  assert.match(await node(page, 2).getAttribute('aria-label'), /^Node 2, crashed/);
  await propose(page, 'apple', '0');
  await play(page);
  await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('apple'));
  await learned(page, 0).filter({ hasText: 'apple' }).waitFor();
  await learned(page, 1).filter({ hasText: 'apple' }).waitFor();
  assert.equal(await learned(page, 2).innerText(), '—');
}));

test('crash 2 of 3: nothing is chosen until a restart', () => withPage('04-crash-two-restart.png', async (page) => {
  for (const i of [1, 2]) {
    await selectNode(page, i);
    await page.getByRole('button', { name: `Crash node ${i}` }).click();
  }
  await propose(page, 'pear', '0');
  await play(page, '6');
  await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) > 1500);
  assert.match(await chosenText(page), /nothing chosen yet/);
  await page.screenshot({ path: join(SHOTS, '04a-crash-two-stuck.png'), fullPage: true });
  await selectNode(page, 1);
  await page.getByRole('button', { name: 'Restart node 1' }).click();
  await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('pear'), null, { timeout: 15000 });
  await learned(page, 0).filter({ hasText: 'pear' }).waitFor();
}));

test('a minority partition cannot choose; the majority can', () => withPage('05-partition.png', async (page) => {
  await reset(page, { nodes: 5 });
  await selectNode(page, 0);
  await page.getByRole('button', { name: 'Isolate node 0' }).click();
  await assert.doesNotReject(page.locator('g.link[data-link="0-1"] .lane.cut').first().waitFor());
  assert.match(await page.locator('g.link[data-link="0-1"]').getAttribute('aria-label'), /cut both ways/);
  await propose(page, 'lonely', '0');
  await propose(page, 'crowd', '3');
  await play(page);
  await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('crowd'), null, { timeout: 15000 });
  assert.doesNotMatch(await chosenText(page), /lonely/);
  assert.equal(await learned(page, 0).innerText(), '—');
  await page.getByRole('button', { name: 'Pause' }).click();
  // Heal all: the isolated node catches up.
  await page.getByRole('button', { name: 'Heal all' }).click();
  assert.equal(await page.locator('svg.cluster .lane.cut').count(), 0);
}));

test('drop a message by selecting it', () => withPage('06-drop.png', async (page) => {
  await propose(page, 'v', '0');
  // Let the messages leave node 0 so each can be clicked on its own, then pause.
  await play(page, '2');
  await page.waitForFunction(() => Number(document.querySelector('.clock').dataset.time) >= 12);
  await page.getByRole('button', { name: 'Pause' }).click();
  const m1 = page.locator('g.msg[data-msg="m1"]');
  assert.equal(await m1.getAttribute('data-kind'), 'prepare');
  await m1.locator('.msg-hit').click();
  await page.screenshot({ path: join(SHOTS, '06a-message-selected.png'), fullPage: true });
  await page.getByRole('button', { name: 'Inspect payload of m1' }).click();
  // The worker writes the payload (its JSON code is not in the page's download): "Reading…" until it answers.
  assert.match(await page.locator('pre.payload[aria-busy="false"]').innerText(), /"type": "prepare"/);
  await page.getByRole('button', { name: 'Drop m1' }).click();
  assert.equal(await page.locator('g.msg[data-msg="m1"]').count(), 0);
  await page.getByText('drop m1 0->1 prepare(1.0) (manual)').waitFor();
  // The other messages can be delivered, delayed or duplicated the same way.
  await page.locator('g.msg[data-msg="m2"] .msg-hit').click();
  await page.getByRole('button', { name: 'Duplicate m2' }).click();
  await page.getByText(/duplicate m2 0->2 prepare\(1\.0\) as m\d+/).waitFor();
  await page.getByRole('button', { name: 'Deliver m2 now' }).click();
  await page.getByText('deliver m2 0->2 prepare(1.0)').waitFor();
}));

test('a bug toggle plus the steps that expose it: the violation banner', () => withPage('07-violation.png', async (page) => {
  await reset(page, { bugs: ['minority-quorum'] });
  await page.locator('.bug-warning', { hasText: 'Running with bugs: minority-quorum' }).waitFor();
  await propose(page, 'a', '0');
  await propose(page, 'b', '2');
  await play(page);
  const banner = page.locator('#safety.violated');
  await banner.waitFor({ timeout: 15000 });
  // The rule, at the event that breaks it: a proposer completes phase 1 on one promise, below a real majority.
  assert.match(await banner.innerText(), /Safety violated:\s*phase 1 without a quorum/);
  assert.match(await banner.innerText(), /nodes? .*ballots?/);
  assert.match(await page.locator('.minority-note').innerText(), /a quorum is 1 of 3 acceptors, so two quorums need not share an acceptor \(a majority is 2\)/);
  assert.match(await banner.innerText(), /Running with bugs: minority-quorum\./, 'the banner names the bug behind it');
  assert.equal(await banner.getByRole('button', { name: 'Show the moment it broke' }).count(), 1);
  // The run paused itself where safety broke.
  await page.getByRole('button', { name: 'Play' }).waitFor();
}));

test("a node's actions open on the node, from the mouse or the keyboard", () => withPage('14-node-menu.png', async (page) => {
  const menu = page.getByRole('dialog', { name: 'Node 1' });
  await node(page, 1).locator('.disc').click();
  await menu.waitFor();
  assert.equal(await node(page, 1).getAttribute('aria-expanded'), 'true');
  // One control per action on the page: the side panel keeps the node's information, not its buttons.
  assert.equal(await page.getByRole('button', { name: 'Crash node 1' }).count(), 1);
  assert.match(await page.locator('section.selection h3').innerText(), /^Node 1/);
  // The focus went into it, Escape closes it and gives the focus back to the node.
  assert.equal(await page.evaluate(() => document.activeElement.closest('.node-menu') !== null), true);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-node')), '1');
  assert.equal(await node(page, 1).getAttribute('aria-pressed'), 'true', 'Escape closed the menu, not the selection');
  // Enter on the focused node opens it again; proposing there sends node 1's prepares and closes it.
  await page.keyboard.press('Enter');
  await menu.getByRole('textbox', { name: 'Proposal at node 1' }).fill('from-one');
  await menu.getByRole('button', { name: 'Propose at node 1' }).click();
  await menu.waitFor({ state: 'detached' });
  assert.match(await page.locator('.log-lines').innerText(), /propose 1 from-one/);
  assert.equal(await page.locator('g.msg[data-kind=prepare]').count(), 3);
  // A click elsewhere closes it.
  await node(page, 0).locator('.disc').click();
  await page.getByRole('dialog', { name: 'Node 0' }).waitFor();
  await page.locator('.how-to-read').click();
  await page.getByRole('dialog', { name: 'Node 0' }).waitFor({ state: 'detached' });
  // Crash, then Restart from the same place.
  await node(page, 2).locator('.disc').click();
  await page.getByRole('button', { name: 'Crash node 2' }).click();
  assert.match(await node(page, 2).getAttribute('aria-label'), /^Node 2, crashed/);
  await node(page, 2).locator('.disc').click();
  assert.equal(await page.getByRole('dialog', { name: 'Node 2' }).getByRole('textbox').count(), 0, 'a crashed node proposes nothing');
  await page.getByRole('button', { name: 'Restart node 2' }).click();
  assert.match(await node(page, 2).getAttribute('aria-label'), /^Node 2, up/);
}));

test('keyboard shortcuts', () => withPage('08-keyboard-help.png', async (page) => {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  // A node's key is its number, as the help says.
  await page.keyboard.press('0');
  assert.equal(await node(page, 0).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('1');
  assert.equal(await node(page, 1).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('c');
  assert.match(await node(page, 1).getAttribute('aria-label'), /^Node 1, crashed/);
  await page.keyboard.press('c');
  assert.match(await node(page, 1).getAttribute('aria-label'), /^Node 1, up/);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('.clock').getAttribute('data-step'), '1');
  // Play with nothing to run runs no empty moments: it says what to do instead, under Play.
  await page.keyboard.press(' ');
  assert.match(await page.locator('.toolbar + .idle-note').innerText(), /^Nothing to run yet: propose a value first/);
  assert.equal(await page.locator('.clock').getAttribute('data-step'), '1');
  assert.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0);
  await propose(page, 'keys');
  assert.equal(await page.locator('.idle-note').count(), 0, 'gone once the run changes');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.keyboard.press(' ');
  await page.getByRole('button', { name: 'Play' }).waitFor();
  // Tab reaches a node and Enter selects it.
  await node(page, 0).focus();
  await page.keyboard.press('Enter');
  assert.equal(await node(page, 0).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('v');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'value');
  await page.keyboard.type('typed ? c');
  assert.equal(await page.getByRole('dialog').count(), 0, 'shortcuts are off while typing');
  // + and - change the speed, and the Speed menu shows it even back on a choice a person made in it (a browser
  // stops honouring an option's selected attribute once the person has used the menu).
  await page.selectOption('#speed', '1');
  await page.locator('svg.cluster').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('-');
  await page.waitForFunction(() => document.querySelector('#speed').value === '0');
  await page.keyboard.press('+');
  await page.waitForFunction(() => document.querySelector('#speed').value === '1');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.innerText(), /0 – 8\s+Select the node of that number/);
  // Escape and a click outside close it, and the focus goes back to what opened it.
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  const opener = page.getByRole('button', { name: 'Show keyboard shortcuts' });
  await opener.click();
  await help.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Close help', 'the dialog takes the focus');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Show keyboard shortcuts');
  await opener.click();
  await help.waitFor();
  await help.click();
  assert.equal(await help.count(), 1, 'a click inside leaves it open');
  await page.mouse.click(5, 5);
  await help.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Show keyboard shortcuts');
}));

test('bad input: inline messages and nothing applied', () => withPage('09-bad-input.png', async (page) => {
  const proposeBtn = page.getByRole('button', { name: 'Propose', exact: true });
  await proposeBtn.click();
  assert.match(await page.locator('#value-error').innerText(), /empty/);
  await page.getByRole('textbox', { name: 'Value' }).fill('x'.repeat(300));
  await proposeBtn.click();
  assert.match(await page.locator('#value-error').innerText(), /Too long: 300 characters; at most 256/);
  assert.equal(await page.locator('g.msg').count(), 0, 'nothing was proposed');

  await page.fill('#loss', 'lots');
  await page.getByRole('button', { name: 'Apply network settings' }).click();
  assert.match(await page.locator('#network-error').innerText(), /Loss must be a number/);
  await page.fill('#loss', '0');
  await page.fill('#lat-min', '90');
  await page.getByRole('button', { name: 'Apply network settings' }).click();
  assert.match(await page.locator('#network-error').innerText(), /must not exceed/);
  assert.match(await page.locator('.panel .hint', { hasText: 'Now: latency' }).innerText(), /latency 20\.\.60/);

  await page.fill('#q1', '1');
  await page.fill('#q2', '1');
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  assert.match(await page.locator('#setup-error').innerText(), /do not intersect/);
  await page.fill('#q1', '');
  await page.fill('#q2', '');
  await page.fill('#nodes', '12');
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  assert.match(await page.locator('#setup-error').innerText(), /Nodes must be from 3 to 9/);
  assert.equal(await page.locator('g.node').count(), 3, 'the cluster was not changed');

  // Markup in a value is shown as text, never run.
  await page.getByRole('textbox', { name: 'Value' }).fill('<img src=x onerror="window.pwned=1">');
  await proposeBtn.click();
  await page.getByText('propose 0 <img src=x onerror="window.pwned=1">').waitFor();
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('.log-lines img').count(), 0);
}));

test('Multi-Paxos: a steady client gets transaction IDs in the slot grid', () => withPage('10-multi-paxos.png', async (page) => {
  await reset(page, { nodes: 5, mode: 'multi' });
  assert.equal(await page.locator('.legend li').count(), 12, 'every kind, with heartbeat, catch_up and propose');
  await page.getByRole('checkbox', { name: /Send a request every/ }).check();
  await play(page);
  await page.waitForFunction(() => document.querySelectorAll('.slot-grid .txn-id').length >= 10, null, { timeout: 20000 });
  assert.match(await page.locator('.slot-grid').innerText(), /txn 1\/\d+/);
  await page.getByRole('button', { name: 'Pause' }).click();
}));

test('a Rust panic shows an error banner with a reload button', () => withPage('11-panic.png', async (page) => {
  // The test hook is a function of the page, not a URL parameter: no link can crash the playground.
  await page.evaluate(() => window.paxosPanicTest());
  await page.locator('#panic').waitFor();
  // The release build aborts on a panic (scripts/build.sh): the trap's own words, or the panic's in a debug build.
  assert.match(await page.locator('#panic-message').innerText(), /deliberate panic|unreachable/);
  await page.getByRole('button', { name: 'Reload the page' }).waitFor();
}, { allowConsoleErrors: true }));

test('on a phone the cluster is drawn compact: bigger nodes, no text beside them, still usable', async () => {
  const { context, page, problems } = await guardedPage(suite.browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await page.goto(suite.server.url);
    await page.waitForSelector('.app:not(.picture) .cluster-wrap.compact svg.cluster g.node');
    assert.equal(await page.locator('svg.cluster .node-info').count(), 0);
    // A node is about twice as wide as with room for the text beside it (55 CSS pixels here, 27 before).
    const disc = await node(page, 0).locator('.disc').boundingBox();
    assert.ok(disc.width >= 48, `disc ${disc.width} px`);
    await propose(page, 'phone');
    await play(page);
    await page.waitForFunction(() => document.querySelector('#checker-chosen')?.textContent.includes('phone'));
    await page.getByRole('button', { name: 'Pause' }).click();
    await node(page, 1).locator('.disc').tap();
    assert.match(await page.locator('section.selection h3').innerText(), /^Node 1/);
    // Its actions open on it, inside the drawing's width, without covering it.
    const menu = await page.getByRole('dialog', { name: 'Node 1' }).boundingBox();
    const one = await node(page, 1).locator('.disc').boundingBox();
    const wrap = await page.locator('.cluster-wrap').boundingBox();
    assert.ok(menu.x >= wrap.x && menu.x + menu.width <= wrap.x + wrap.width, `menu ${JSON.stringify(menu)} in ${JSON.stringify(wrap)}`);
    assert.ok(menu.x >= one.x + one.width || menu.x + menu.width <= one.x || menu.y >= one.y + one.height || menu.y + menu.height <= one.y,
      `menu ${JSON.stringify(menu)} covers node 1 ${JSON.stringify(one)}`);
    await page.getByRole('button', { name: 'Crash node 1' }).tap();
    assert.match(await node(page, 1).getAttribute('aria-label'), /^Node 1, crashed/);
    // The space-time diagram's coordinates follow its width, so its lane labels keep their size (they were 4 px).
    const label = await page.locator('.st-lane-label').first().boundingBox();
    assert.ok(label.height >= 10, `lane label ${label.height} px high`);
    await page.screenshot({ path: join(SHOTS, '12-phone.png') });
    // Wider again (a rotated phone, a resized window): the text comes back.
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.locator('svg.cluster .node-info').first().waitFor();
    assert.equal(await page.locator('.cluster-wrap.compact').count(), 0);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.outside, []);
  } finally {
    await context.close();
  }
});
