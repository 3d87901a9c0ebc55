// Paxos playground figures for any page: one classic script that defines the `<paxos-figure>` element and turns
// every element carrying a `data-paxos` attribute into a live playground figure (docs/embedding.md).
//
//   <paxos-figure scenario="dueling" controls="timeline,diagram" theme="inherit"></paxos-figure>
//   <div data-paxos='{"scenario": "dueling", "controls": ["timeline", "diagram"], "theme": "inherit"}'></div>
//   <script src="playground/figures.js"></script>
//
// An element's attributes are the options of `mount()`, each in the text its URL parameter holds; the data-paxos
// attribute holds them as a JSON object. The playground's files are found beside this script, whatever folder or
// sub-path the page is served from. The script may be included any number of times on a page (a documentation
// tool's print page repeats each chapter's tags): the playground is downloaded and compiled once, on the first
// figure, and each element becomes one figure, never two. Figures need no ids. Bad options show a message in place
// of the figure, naming what was wrong.
(() => {
  if (window.paxosFigures) {
    window.paxosFigures.scan();
    return;
  }
  const here = document.currentScript?.src || document.baseURI;
  const base = new URL('.', here);
  // Each module once: paxos-web draws Paxos; paxos-web-all, the second module, draws Raft and Compare too (a figure
  // whose options say `protocol: raft` or `compare`), and is fetched only for such a figure.
  const modules = {};
  const load = (options) => {
    const compare = options?.compare;
    const name = options?.protocol === 'raft' || (compare !== undefined && compare !== false && compare !== 'false' && compare !== '0')
      ? 'paxos-web-all' : 'paxos-web';
    // A scenario or an exercise draws from lessons.txt, which the playground fetches once it has started: a page
    // with one starts that fetch now, with the playground's own (a round trip less before the figure draws).
    if (!Object.keys(modules).length && document.querySelector('paxos-figure[scenario], paxos-figure[exercise], [data-paxos*="scenario"], [data-paxos*="exercise"]')) {
      const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
      link.href = new URL('lessons.txt', base).href;
      document.head.append(link);
    }
    modules[name] ??= import(new URL(`${name}.js`, base).href).then(async (m) => {
      await m.default({ module_or_path: new URL(`${name}_bg.wasm`, base) });
      return m;
    });
    return modules[name];
  };
  const message = (text) => {
    const p = document.createElement('p');
    p.className = 'paxos-figure-error';
    p.setAttribute('part', 'error');
    p.setAttribute('role', 'alert');
    p.textContent = `Paxos figure: ${text.replace(/^paxos playground: /, '')}`;
    return p;
  };
  const show = (el, text) => {
    el.dataset.paxosState = 'error';
    el.replaceChildren(message(text));
  };

  // The page's own attributes, never options: HTML's global attributes. So are names with `-`, `_` or `:` (aria-*,
  // data-*, a framework's marks) and event handlers (`on…`). Every other attribute goes to the playground's option
  // parser, which knows the options (a new one needs no change here) and names an unknown one: option names are
  // lowercase letters and digits, which web/src/options.rs tests against this list.
  const PAGE = ' class id style slot part is title lang dir hidden inert tabindex role nonce autofocus accesskey translate draggable spellcheck contenteditable enterkeyhint inputmode popover autocapitalize autocorrect exportparts writingsuggestions itemscope itemprop itemtype itemid itemref ';
  const attributes = (el) => {
    const o = { embed: '1' };
    for (const { name, value } of el.attributes) {
      if (!PAGE.includes(` ${name} `) && !/[^a-z0-9]|^on/.test(name)) o[name] = value;
    }
    return o;
  };

  // `<paxos-figure>`. Attributes are watched with a MutationObserver rather than `observedAttributes`, which must be
  // listed when the element is defined, before the playground (and its list of options) has loaded: the element is
  // defined at once so that one anywhere, in another component's shadow root too, starts the download. Its children
  // (a fallback, a picture) stay until the playground draws over them.
  class PaxosFigure extends HTMLElement {
    // Private fields, never properties named like options: React 19 sets a property rather than an attribute when
    // the element has one of that name (`theme`, `run`), and a property would not reach the figure.
    #watch = null;
    #run = null;
    #theme;

    connectedCallback() {
      if (this.#watch) return; // moved: disconnected and connected again in one task, still mounted
      this.#watch = new MutationObserver(() => this.#update());
      this.#watch.observe(this, { attributes: true });
      this.#update();
    }

    disconnectedCallback() {
      // A framework that reorders a list moves the element out and back in before the next microtask: keep it then.
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.#watch?.disconnect();
        this.#watch = null;
        this.#drop();
      });
    }

    // Frees the playground: its app is destroyed, its shadow root emptied, its handle freed in the wasm.
    #drop() {
      const handle = this.paxosPlayground;
      this.paxosPlayground = this.#run = null;
      handle?.destroy();
      handle?.free();
    }

    // Mounts the figure the attributes describe, or shows why it cannot. A changed theme alone keeps the run (the
    // reader's place in it) and switches colours, as a documentation tool's dark mode does; any other change asks
    // for another first run, so the figure is mounted again. Several changes in one task are one call.
    async #update() {
      let m;
      try {
        m = await load(attributes(this));
      } catch (e) {
        this.#fail(`the playground could not load (${e.message})`);
        return;
      }
      if (!this.#watch) return; // removed while it loaded
      const options = attributes(this);
      const run = JSON.stringify({ ...options, theme: 0 });
      const handle = this.paxosPlayground;
      if (handle && run === this.#run) {
        try {
          if (options.theme !== this.#theme) handle.setTheme(options.theme ?? 'auto');
          this.#theme = options.theme;
          return;
        } catch {
          // A bad theme: mounting names it, in the attribute's words.
        }
      }
      try {
        if (!handle) this.shadowRoot?.replaceChildren(); // an earlier message
        this.paxosPlayground = m.mountAttributes(this, options);
        handle?.free(); // mounting replaced its figure
        [this.#run, this.#theme] = [run, options.theme];
      } catch (e) {
        this.#fail(e.message);
      }
    }

    #fail(text) {
      this.#drop();
      (this.shadowRoot ?? this.attachShadow({ mode: 'open' })).replaceChildren(message(text));
    }
  }
  if (!customElements.get('paxos-figure')) customElements.define('paxos-figure', PaxosFigure);

  // Mounts every data-paxos figure of the page that is not mounted yet; resolves to the handles of those it mounted.
  const scan = async () => {
    const waiting = [...document.querySelectorAll('[data-paxos]')].filter((el) => !el.dataset.paxosState);
    if (!waiting.length) return [];
    for (const el of waiting) el.dataset.paxosState = 'loading';
    const handles = [];
    for (const el of waiting) {
      let options;
      try {
        options = JSON.parse(el.dataset.paxos || '{}');
      } catch (e) {
        show(el, `its data-paxos attribute is not JSON (${e.message})`);
        continue;
      }
      let m;
      try {
        m = await load(options);
      } catch (e) {
        show(el, `the playground could not load (${e.message})`);
        continue;
      }
      try {
        const handle = m.mount(el, { embed: true, ...options });
        el.dataset.paxosState = 'mounted';
        el.paxosPlayground = handle;
        handles.push(handle);
      } catch (e) {
        show(el, e.message);
      }
    }
    return handles;
  };
  window.paxosFigures = { scan };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => scan());
  else scan();
})();
