// Trunk post-build hook (Trunk.toml): minifies the page's JavaScript glue (paxos-web.js, which wasm-bindgen writes
// with its doc comments and long local names) with terser, after Trunk's own minifier, which keeps both. It is part
// of the page's initial transfer (scripts/budget.mjs): 11.6 KB gzip before, 8.6 after. Exported names (mount,
// mountAttributes, Playground and its methods) and the property names wasm-bindgen's imports use are kept: terser
// renames only local variables. index.html's integrity hash for the file (Trunk's, of the unminified text) is
// replaced by the minified file's.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('minify: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)'); process.exit(2); }
for (const name of ['paxos-web.js']) {
  const file = join(dir, name);
  const before = readFileSync(file, 'utf8');
  const out = await minify(before, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (!out.code) { console.error(`minify: terser gave nothing for ${name}`); process.exit(1); }
  writeFileSync(file, out.code);
  const html = join(dir, 'index.html');
  const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
  const page = readFileSync(html, 'utf8');
  if (!page.includes(sri(before))) { console.error(`minify: index.html has no integrity hash of ${name}`); process.exit(1); }
  writeFileSync(html, page.split(sri(before)).join(sri(out.code)));
  console.log(`minify: ${name} ${before.length} -> ${out.code.length} bytes`);
}
