// Trunk post-build hook (Trunk.toml): moves the loader Trunk writes inline into index.html to a file, start.js, so
// the page needs no 'unsafe-inline' and runs under a strict Content-Security-Policy (docs/hosting.md). Fails the
// build if index.html keeps any inline script, inline event handler or inline style attribute.
import { readFileSync, writeFileSync } from 'node:fs';
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
const left = [];
if (/<script(?![^>]*\ssrc=)[^>]*>\s*\S[\s\S]*?<\/script>/.test(html)) left.push('an inline <script>');
if (/\son[a-z]+\s*=/i.test(html)) left.push('an inline event handler (on…=)');
if (/\sstyle\s*=/i.test(html) || /<style[\s>]/i.test(html)) left.push('inline style');
if (/href\s*=\s*["']data:/i.test(html)) left.push('a data: URL');
if (left.length) { console.error(`csp-loader: index.html still has ${left.join(', ')}`); process.exit(1); }
writeFileSync(file, html);
console.log(`csp-loader: moved ${n} inline script(s) of index.html to files`);
