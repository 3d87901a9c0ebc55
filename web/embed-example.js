// The example documentation page's script: two playgrounds mounted with mount(element, options), and the listener
// that sizes iframe playgrounds to the height they ask for. A file, not an inline <script>: the page works under a
// strict Content-Security-Policy (docs/hosting.md).
import init, { mount } from './paxos-web.js';

// An embedded playground posts { type: 'paxos-playground:resize', height } whenever the height it needs changes.
window.addEventListener('message', (e) => {
  if (!e.data || e.data.type !== 'paxos-playground:resize' || !(e.data.height > 0)) return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === e.source) {
      frame.style.height = `${Math.ceil(e.data.height)}px`;
      frame.dataset.resized = String(Number(frame.dataset.resized || 0) + 1);
    }
  }
});
// A frame that loaded before this listener started has posted already: ask each once more. (This page's own frame
// starts later, below; the lines are here for pages whose frames start with the page.)
for (const frame of document.querySelectorAll('iframe')) {
  frame.contentWindow?.postMessage({ type: 'paxos-playground:measure' }, '*');
}

const show = (id, text) => { document.getElementById(id).textContent = text; };
try {
  await init({ module_or_path: './paxos-web_bg.wasm' });
  // A figure by default: the drawing, the narration with Next and Back, and the timeline.
  window.adopt = mount(document.getElementById('figure-adopt'), { embed: true, scenario: 'adopt-accepted' });
  show('caption-adopt', 'Figure 1: the scenario "adopt-accepted". Press Next to walk through it.');
  // More when asked for: the time controls and the space-time diagram.
  window.duel = mount(document.getElementById('figure-duel'), {
    embed: true, scenario: 'dueling', controls: ['time', 'timeline', 'scenarios', 'diagram'], theme: 'light',
  });
  show('caption-duel', 'Figure 2: the scenario "dueling", with the time controls and the space-time diagram.');
} catch (e) {
  show('caption-adopt', 'The playground could not start: ' + e.message);
  document.getElementById('caption-adopt').className = 'error';
}
// The iframe starts now: begun with the page, its second download of the playground shared the connection with
// the figures' first and delayed them by a second on a slow mobile connection (e2e/bench.mjs). Now the browser's
// cache has the files.
for (const frame of document.querySelectorAll('iframe[data-src]')) frame.src = frame.dataset.src;
window.playgroundsReady = true;
