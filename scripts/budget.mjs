// The transfer budget (issue "A size budget users feel"): the files the full page loads before it is interactive,
// compressed with gzip -9, must total at most 300 KB (KiB). Prints what each file costs, gzip and brotli, and the
// files of dist/ the page does not load at start (reported, not counted). Exit 1 above the budget.
// The page has two builds of the app (issue 22), and start.js loads one (scripts/csp-loader.mjs): paxos-web, Paxos
// alone, for the plain page, which the 300 KB are for, and paxos-web-all, with Raft and Compare, for `?protocol=raft`
// and `?compare=1`. The Raft page is budgeted on a line of its own: its HTML, stylesheet and start.js, and the second
// build's glue, snippets and wasm. Its budget, RAFT_BUDGET_KB, is about 1.5 times what it measured when the second
// build was first made (296.2 KB gzip, the same app as the Paxos page's until Raft is drawn), so Raft and Compare
// have room to grow without the page's load doubling unnoticed (docs/hosting.md).
//   node scripts/budget.mjs            (after trunk build --release --offline; DIST_DIR=… for another build)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

export const BUDGET_KB = 300;
export const RAFT_BUDGET_KB = 450;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.DIST_DIR || join(ROOT, 'dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`budget: ${DIST}/index.html is missing: build first (trunk build --release --offline)`);
  process.exit(2);
}

/** The page's two builds: each one's glue and wasm, of which start.js loads one. */
const MODULES = ['paxos-web', 'paxos-web-all'];
const ofModule = (m, f) => f === `${m}.js` || f === `${m}_bg.wasm`;

/** The files index.html loads before the page is interactive when start.js picks `module`: its scripts, stylesheets,
 * icon and preloads, the module's glue and wasm, and what the glue imports (its snippets). */
function initialFiles(module) {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = new Set(['index.html']);
  // Quoted or not: a minified index.html (Trunk.toml: minify on release) writes `href=./style.css`.
  for (const m of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)=(?:"|')?\.?\/?([^"'?#\s>]+)/g)) {
    if (existsSync(join(DIST, m[1]))) files.add(m[1]);
  }
  // A worklist: start.js names the glue, and the glue its snippets.
  for (const f of files) {
    if (f.endsWith('.js')) {
      for (const m of readFileSync(join(DIST, f), 'utf8').matchAll(/['"]\.\/([\w./-]+\.(?:wasm|js|css))['"]/g)) {
        // start.js names both builds: only the one this page loads counts, with its own stylesheet (raft.css).
        if (MODULES.some((other) => other !== module && ofModule(other, m[1]))) continue;
        if (m[1] === 'raft.css' && module !== 'paxos-web-all') continue;
        if (existsSync(join(DIST, m[1]))) files.add(m[1]);
      }
    }
  }
  for (const f of [`${module}.js`, `${module}_bg.wasm`]) {
    if (!files.has(f)) { console.error(`budget: the page does not load ${f} when start.js picks ${module}`); process.exit(2); }
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

/** Prints one page's initial transfer, file by file; returns its gzip total and the files it counted. */
function page(title, module, budget) {
  const initial = initialFiles(module);
  let gzip = 0, brotli = 0;
  console.log(`${title}: initial transfer (gzip -9 / brotli 11, KB = 1024 bytes):`);
  for (const f of initial) {
    const s = sizes(f);
    gzip += s.gzip; brotli += s.brotli;
    console.log(`  ${f.padEnd(40)} ${kb(s.gzip).padStart(7)} ${kb(s.brotli).padStart(7)}`);
  }
  console.log(`  ${'total'.padEnd(40)} ${kb(gzip).padStart(7)} ${kb(brotli).padStart(7)}   budget ${budget} KB gzip`);
  return { title, gzip, brotli, budget, initial };
}

const pages = [
  page('the page', 'paxos-web', BUDGET_KB),
  page('the Raft page (?protocol=raft, ?compare=1)', 'paxos-web-all', RAFT_BUDGET_KB),
];
const walk = (dir, prefix = '') => readdirSync(join(DIST, dir)).flatMap((f) =>
  statSync(join(DIST, dir, f)).isDirectory() ? walk(join(dir, f), `${prefix}${f}/`) : [`${prefix}${f}`]);
const later = walk('').filter((f) => !pages.some((p) => p.initial.includes(f)));
if (later.length) {
  console.log('not loaded at start (not counted):');
  for (const f of later) console.log(`  ${f.padEnd(40)} ${kb(sizes(f).gzip).padStart(7)}`);
}
let over = false;
for (const { title, gzip, budget } of pages) {
  if (gzip / 1024 > budget) {
    console.error(`budget: ${title}'s initial transfer is ${kb(gzip)} KB gzip, over the ${budget} KB budget`);
    over = true;
  }
}
if (over) process.exit(1);
// The first line is the Paxos page's, in the words e2e/bench.mjs reads.
const [paxos, raft] = pages;
console.log(`budget: ${kb(paxos.gzip)} KB of ${paxos.budget} KB (brotli would be ${kb(paxos.brotli)} KB, ${((1 - paxos.brotli / paxos.gzip) * 100).toFixed(0)}% less)`);
console.log(`budget of the Raft page: ${kb(raft.gzip)} KB of ${raft.budget} KB (brotli ${kb(raft.brotli)} KB)`);
