// Trunk post-build hook (Trunk.toml): minifies the page's JavaScript glue (paxos-web.js and the Raft and Compare
// build's paxos-web-all.js, which wasm-bindgen writes with their doc comments and long local names) with terser,
// after Trunk's own minifier, which keeps both. The glue is part of the page's initial transfer (scripts/budget.mjs):
// paxos-web.js was 11.6 KB gzip before, 8.6 after. Exported names (mount, mountAttributes, Playground and its
// methods) and the property names wasm-bindgen's imports use are kept: terser renames only local variables. An
// integrity hash of a glue in index.html (Trunk's, of the unminified text) would be replaced by the minified file's;
// start.js loads them without one (scripts/csp-loader.mjs).
//
// Both builds write their snippets (`inline_js`) into the one snippets/web-<hash>/ folder, numbered in the crate's
// order, so a snippet only one build has (behind the feature `raft`) would give the two builds different files of one
// name. Each glue's imports from snippets/ are checked against the files there: the build fails if a name is missing.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('minify: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)'); process.exit(2); }
for (const name of ['paxos-web.js', 'paxos-web-all.js']) {
  const file = join(dir, name);
  const before = readFileSync(file, 'utf8');
  const out = await minify(before, { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (!out.code) { console.error(`minify: terser gave nothing for ${name}`); process.exit(1); }
  writeFileSync(file, out.code);
  const html = join(dir, 'index.html');
  const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
  const page = readFileSync(html, 'utf8');
  if (page.includes(sri(before))) writeFileSync(html, page.split(sri(before)).join(sri(out.code)));
  for (const [, names, snippet] of out.code.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']\.\/(snippets\/[^"']+)["']/g)) {
    const text = readFileSync(join(dir, snippet), 'utf8');
    for (const imported of names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0])) {
      if (!new RegExp(`export\\s+(?:async\\s+)?(?:function|const|let|class)\\s+${imported}\\b`).test(text)) {
        console.error(`minify: ${name} imports ${imported} from ${snippet}, which does not export it (another build's snippet of the same name?)`);
        process.exit(1);
      }
    }
  }
  console.log(`minify: ${name} ${before.length} -> ${out.code.length} bytes`);
}
