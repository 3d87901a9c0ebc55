// A long run's memory (a report, not assertions): `node e2e/soak.mjs` after building dist/.
// 9 nodes, Multi-Paxos, the steady client on, top speed, for SOAK_SECONDS (default 180, when the client has sent
// about 49,000 of its 50,000 requests). Every 15 s it prints the simulated time, the moment, the JS heap and the
// size of the wasm memory (found with the DevTools protocol's queryObjects), and at the end any console error.
import { serveDist, launch, play } from './helpers.mjs';

const seconds = Number(process.env.SOAK_SECONDS || 180);
const server = await serveDist();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('.app:not(.picture) svg.cluster g.node');
  await page.locator('#nodes').fill('9');
  await page.selectOption('#mode', 'multi');
  await page.getByRole('button', { name: 'Reset with these settings' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.app:not(.picture) svg.cluster g.node').length === 9);
  await page.getByRole('checkbox', { name: /Send a request every/ }).check();
  await play(page, String((await page.locator('#speed option').count()) - 1));
  const cdp = await page.context().newCDPSession(page);
  const wasmMemoryMb = async () => {
    const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
    const found = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    const sizes = await cdp.send('Runtime.callFunctionOn', {
      objectId: found.objects.objectId, returnByValue: true,
      functionDeclaration: 'function () { return this.map((m) => m.buffer.byteLength); }',
    });
    return Math.max(...sizes.result.value) / 1e6;
  };
  const start = Date.now();
  while (Date.now() - start < seconds * 1000) {
    await page.waitForTimeout(15_000);
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
    const clock = await page.locator('.clock').innerText();
    console.log(`${Math.round((Date.now() - start) / 1000)} s: ${clock}; JS heap ${heap.toFixed(1)} MB; ` +
      `wasm memory ${(await wasmMemoryMb()).toFixed(0)} MB`);
  }
  console.log(errors.length ? `console errors: ${errors.join(' | ')}` : 'no console errors');
} finally {
  await browser.close();
  await server.close();
}
