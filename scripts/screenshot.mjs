// Regenerates the README's picture, docs/playground.png, from the built page: the adopt-accepted scenario two stages
// in, at 1280x720 in the light theme (values in their colours, the narration beside the drawing).
//   trunk build --release --offline && node scripts/screenshot.mjs
import { join } from 'node:path';
import { serveDist, launch, ROOT } from '../e2e/helpers.mjs';

const server = await serveDist();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(server.url + '?scenario=adopt-accepted&theme=light');
  await page.waitForSelector('svg.cluster g.node');
  for (let k = 1; k <= 3; k++) {
    const before = await page.locator('.timeline .moment').innerText();
    await page.locator('#tour-next').click();
    await page.waitForFunction((b) => document.querySelector('.timeline .moment').textContent !== b
      && document.querySelector('.app').dataset.playing === 'false', before, { timeout: 20000 });
    await page.locator('.lesson .stage-count', { hasText: `Stage ${k} of` }).waitFor();
  }
  const out = join(ROOT, 'docs', 'playground.png');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
