// Trunk post-build hook (Trunk.toml): moves the loader Trunk writes inline into index.html to a file, start.js, so
// the page needs no 'unsafe-inline' and runs under a strict Content-Security-Policy (docs/hosting.md). Fails the
// build if index.html keeps any inline script, inline event handler or inline style attribute.
//
// start.js then chooses one of the page's two builds of the app (issue 22, "Size and speed"): paxos-web, Paxos
// alone, which Trunk wrote the loader and preloads for, or paxos-web-all, the same app with Raft and Compare
// (index.html's second `rel="rust"` link, feature `raft`), when the address asks for `protocol=raft` or `compare`.
// So the preloads of the first go: a preload in the HTML is fetched whatever the address, and the Raft page must not
// download the Paxos module. start.js starts the chosen wasm's download first, then imports its glue.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('csp-loader: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)'); process.exit(2); }
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const inline = /<script(?![^>]*\ssrc=)([^>]*)>([\s\S]*?)<\/script>/g;
let n = 0;
html = html.replace(inline, (whole, attrs, body) => {
  if (!body.trim()) return whole;
  n += 1;
  const name = n === 1 ? 'start.js' : `start-${n}.js`;
  writeFileSync(join(dir, name), body.trim() + '\n');
  return `<script${attrs} src="./${name}"></script>`;
});
// Trunk's loader for the first module, whose names the new loader keeps.
const MODULES = { paxos: 'paxos-web', all: 'paxos-web-all' };
const trunk = readFileSync(join(dir, 'start.js'), 'utf8');
if (n !== 1 || !trunk.includes(`from './${MODULES.paxos}.js'`) || !trunk.includes(`'./${MODULES.paxos}_bg.wasm'`)) {
  console.error(`csp-loader: expected Trunk's one loader of ${MODULES.paxos}.js in index.html, found ${n} script(s):\n${trunk}`);
  process.exit(1);
}
for (const f of [...Object.values(MODULES).flatMap((m) => [`${m}.js`, `${m}_bg.wasm`]), 'raft.css']) {
  if (!existsSync(join(dir, f))) { console.error(`csp-loader: ${f} was not built (index.html's rel="rust" links)`); process.exit(1); }
}
// The first module's preloads (its glue, the glue's snippets and its wasm), which Trunk put in the head.
const preloads = /<link\b[^>]*\brel="?(?:modulepreload|preload)"?[^>]*>/g;
const dropped = (html.match(preloads) ?? []).filter((l) => /href="?\.\/(paxos-web[.\w-]*|snippets\/)/.test(l));
if (!dropped.some((l) => l.includes(`${MODULES.paxos}_bg.wasm`))) { console.error('csp-loader: no preload of the wasm to drop'); process.exit(1); }
for (const l of dropped) html = html.replace(l, '');
// A classic script in the head, so it runs as soon as it arrives, before the body is parsed: a module script runs only
// when the main thread is free of parsing and painting the first screen, which on a slow phone started the wasm's
// download half a second later than the preload did. Blocking the parser for it costs nothing seen: it arrives with
// the stylesheet, which holds the first paint anyway.
html = html.replace(/<script type="?module"?\s+src="\.\/start\.js">/, '<script src="./start.js">');
if (!html.includes('<script src="./start.js">')) { console.error('csp-loader: no start.js script to make classic'); process.exit(1); }
writeFileSync(join(dir, 'start.js'), `// The page's loader (scripts/csp-loader.mjs): the app with Raft and Compare (${MODULES.all}) when the address asks
// for them, as the app's URL reader words the flag (\`?compare\`, \`=1\`, \`=yes\`, \`=true\`), else Paxos alone (${MODULES.paxos}).
(() => {
  const query = new URLSearchParams(location.search);
  // A shared run's link says its protocol too: version 1 is Paxos's, a later version another protocol's.
  const all = query.get('protocol') === 'raft' || ['', '1', 'yes', 'true'].includes(query.get('compare'))
    || /^#run=(?!1\\.)\\d+\\./.test(location.hash);
  const [js, bg] = all ? ['./${MODULES.all}.js', './${MODULES.all}_bg.wasm'] : ['./${MODULES.paxos}.js', './${MODULES.paxos}_bg.wasm'];
  // The second module's own rules (web/raft.css), which the Paxos page does not download.
  if (all) document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: './raft.css' }));
  // The wasm first: its download is most of the page's, and runs while the glue arrives.
  const module_or_path = fetch(bg);
  const glue = import(js);
  const start = async () => {
    // Here the page is parsed.
    const bindings = await glue;
    const wasm = await bindings.default({ module_or_path });
    window.wasmBindings = bindings;
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
})();
`);
const left = [];
if (/<script(?![^>]*\ssrc=)[^>]*>\s*\S[\s\S]*?<\/script>/.test(html)) left.push('an inline <script>');
if (/\son[a-z]+\s*=/i.test(html)) left.push('an inline event handler (on…=)');
if (/\sstyle\s*=/i.test(html) || /<style[\s>]/i.test(html)) left.push('inline style');
if (/href\s*=\s*["']data:/i.test(html)) left.push('a data: URL');
if (left.length) { console.error(`csp-loader: index.html still has ${left.join(', ')}`); process.exit(1); }
writeFileSync(file, html);
console.log(`csp-loader: moved ${n} inline script(s) of index.html to files; start.js loads ${MODULES.paxos} or ${MODULES.all}, dropped ${dropped.length} preload(s)`);
