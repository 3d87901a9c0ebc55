// Trunk post-build hook (Trunk.toml): puts the page's first screen into index.html, in place of its "Loading…" line,
// so a reader sees the cluster as soon as the HTML and style.css have arrived, before the wasm (and with JavaScript
// off, and in print). The screen is the app itself rendered natively by Yew's server-side renderer
// (`paxos-prerender`, web/src/prerender.rs): the same components draw it, and the app, when it starts, renders the
// same markup in its place (web/src/web.rs `start`). The static screen is the plain address's; an address that asks
// for another run (a scenario, a link) shows it faded until the app starts, an iframe's figure nothing (web/style.css `.stale`, `.unlike`).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('prerender: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)'); process.exit(2); }
// A native build: none of the page's wasm-only settings (scripts/build.sh) may reach it.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
  !/^(RUSTC_BOOTSTRAP|CARGO_UNSTABLE_|CARGO_PROFILE_WEB_|CARGO_BUILD_TARGET|CARGO_TARGET_DIR$)/.test(k) && !k.startsWith('TRUNK_')));
const prerender = (...args) => execFileSync('cargo', ['run', '--quiet', '-p', 'web', '--features', 'ssr', '--bin', 'paxos-prerender', '--', ...args],
  { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
const screen = prerender();
if (!screen.includes('class="cluster"')) { console.error('prerender: the rendered screen has no cluster'); process.exit(1); }
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
const loading = /<p class="?loading"?>[^<]*<\/p>/;
if (!loading.test(html)) { console.error('prerender: index.html has no "Loading…" line to replace'); process.exit(1); }
if (/\sstyle\s*=|<script|\son[a-z]+\s*=/i.test(screen)) { console.error('prerender: the screen has inline script or style'); process.exit(1); }
writeFileSync(file, html.replace(loading, () => screen));
// Run by start.js (scripts/csp-loader.mjs) once the HTML is parsed, before the app's module has arrived.
const start = join(dir, 'start.js');
const loader = readFileSync(start, 'utf8').split('\n');
const at = loader.findIndex((l) => l.includes('Here the page is parsed.')) + 1;
if (at === 0) { console.error('prerender: start.js has no place where the page is parsed'); process.exit(1); }
const indent = loader[at - 1].match(/^\s*/)[0];
loader.splice(at, 0, ...[`// The first screen is the plain address's (scripts/prerender.mjs).`,
  `if (location.search.length > 1 || location.hash.startsWith('#run=')) document.getElementById('app')?.classList.add(/[?&]embed=(1|true)/.test(location.search) ? 'unlike' : 'stale');`]
  .map((l) => indent + l));
writeFileSync(start, loader.join('\n'));

// The example documentation page's figures: each element with a data-picture (its mount() options as a query) gets
// its picture inside, which the mounted figure shows until it has drawn.
const example = join(dir, 'embed-example.html');
let n = 0;
const filled = readFileSync(example, 'utf8').replace(/(<div [^>]*data-picture="([^"]*)"[^>]*>)(<\/div>)/g, (_, open, query, close) => {
  n += 1;
  return open + prerender('--figure', `e${n}-`, query.replaceAll('&amp;', '&')) + close;
});
writeFileSync(example, filled);
console.log(`prerender: embed-example.html carries ${n} figures' pictures`);
