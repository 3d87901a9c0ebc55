// The transfer budget (issue "A size budget users feel"): the files the full page loads before it is interactive,
// compressed with gzip -9, must total at most 300 KB (KiB). Prints what each file costs, gzip and brotli, and the
// files of dist/ the page does not load at start (reported, not counted). Exit 1 above the budget.
//   node scripts/budget.mjs            (after trunk build --release --offline; DIST_DIR=… for another build)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_KB = 300;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.DIST_DIR || join(ROOT, 'dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`budget: ${DIST}/index.html is missing: build first (trunk build --release --offline)`);
  process.exit(2);
}

/** The files index.html loads before the page is interactive: its scripts, stylesheets, icon and preloads, and the
 * wasm the loader fetches. */
function initialFiles() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = new Set(['index.html']);
  // Quoted or not: a minified index.html (Trunk.toml: minify on release) writes `href=./style.css`.
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)=(?:"|')?\.?\/?([^"'?#\s>]+)/g)) {
    if (existsSync(join(DIST, m[1]))) files.add(m[1]);
  }
  for (const f of [...files]) {
    if (f.endsWith('.js')) {
      for (const m of readFileSync(join(DIST, f), 'utf8').matchAll(/['"]\.\/([\w./-]+\.(?:wasm|js))['"]/g)) {
        if (existsSync(join(DIST, m[1]))) files.add(m[1]);
      }
    }
  }
  return [...files].sort();
}

const kb = (b) => (b / 1024).toFixed(1);
const sizes = (f) => {
  const raw = readFileSync(join(DIST, f));
  return {
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

const initial = initialFiles();
let gzip = 0, brotli = 0;
console.log('initial transfer (gzip -9 / brotli 11, KB = 1024 bytes):');
for (const f of initial) {
  const s = sizes(f);
  gzip += s.gzip; brotli += s.brotli;
  console.log(`  ${f.padEnd(28)} ${kb(s.gzip).padStart(7)} ${kb(s.brotli).padStart(7)}`);
}
console.log(`  ${'total'.padEnd(28)} ${kb(gzip).padStart(7)} ${kb(brotli).padStart(7)}   budget ${BUDGET_KB} KB gzip`);
const walk = (dir, prefix = '') => readdirSync(join(DIST, dir)).flatMap((f) =>
  statSync(join(DIST, dir, f)).isDirectory() ? walk(join(dir, f), `${prefix}${f}/`) : [`${prefix}${f}`]);
const later = walk('').filter((f) => !initial.includes(f));
if (later.length) {
  console.log('not loaded at start (not counted):');
  for (const f of later) console.log(`  ${f.padEnd(28)} ${kb(sizes(f).gzip).padStart(7)}`);
}
if (gzip / 1024 > BUDGET_KB) {
  console.error(`budget: the initial transfer is ${kb(gzip)} KB gzip, over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
console.log(`budget: ${kb(gzip)} KB of ${BUDGET_KB} KB (brotli would be ${kb(brotli)} KB, ${((1 - brotli / gzip) * 100).toFixed(0)}% less)`);
