// Paxos playground figures for documentation pages: one classic script that turns every element carrying a
// `data-paxos` attribute into a live playground figure. The attribute holds the figure's options as a JSON object,
// the options of `mount()` (docs/embedding.md), for example
//
//   <div data-paxos='{"scenario": "dueling", "controls": ["timeline", "diagram"], "theme": "inherit"}'></div>
//   <script src="playground/figures.js"></script>
//
// The playground's files are found beside this script, whatever folder or sub-path the page is served from. The
// script may be included any number of times on a page (a documentation tool's print page repeats each chapter's
// tags): the playground is downloaded and compiled once, and each element becomes one figure, never two. Figures
// need no ids. A figure's bad options show a message in place of the figure, naming what was wrong.
(() => {
  if (window.paxosFigures) {
    window.paxosFigures.scan();
    return;
  }
  const here = document.currentScript?.src || document.baseURI;
  const base = new URL('.', here);
  let module = null;
  const load = () => {
    module ??= import(new URL('paxos-web.js', base).href).then(async (m) => {
      await m.default({ module_or_path: new URL('paxos-web_bg.wasm', base) });
      return m;
    });
    return module;
  };
  const show = (el, text) => {
    el.dataset.paxosState = 'error';
    const p = document.createElement('p');
    p.className = 'paxos-figure-error';
    p.setAttribute('role', 'alert');
    p.textContent = `Paxos figure: ${text}`;
    el.replaceChildren(p);
  };
  // Mounts every figure of the page that is not mounted yet; resolves to the handles of those it mounted.
  const scan = async () => {
    const waiting = [...document.querySelectorAll('[data-paxos]')].filter((el) => !el.dataset.paxosState);
    if (!waiting.length) return [];
    for (const el of waiting) el.dataset.paxosState = 'loading';
    let m;
    try {
      m = await load();
    } catch (e) {
      for (const el of waiting) show(el, `the playground could not load (${e.message})`);
      return [];
    }
    const handles = [];
    for (const el of waiting) {
      let options;
      try {
        options = JSON.parse(el.dataset.paxos || '{}');
      } catch (e) {
        show(el, `its data-paxos attribute is not JSON (${e.message})`);
        continue;
      }
      try {
        const handle = m.mount(el, { embed: true, ...options });
        el.dataset.paxosState = 'mounted';
        el.paxosPlayground = handle;
        handles.push(handle);
      } catch (e) {
        show(el, e.message.replace(/^paxos playground: /, ''));
      }
    }
    return handles;
  };
  window.paxosFigures = { scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => scan());
  else scan();
})();
