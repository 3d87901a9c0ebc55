// mdbook-paxos: mdBook puts this script on every page (book.toml, `output.html.additional-js`), print.html
// included, with the right path to the book's root. On a page that holds a Paxos figure (a <paxos-figure> element,
// or a data-paxos one written by hand) it loads the playground's figures.js from the book's playground/ folder, once;
// figures.js defines the element and mounts every figure of the page (web/figures.js).
(() => {
  const root = new URL('.', document.currentScript.src);
  const start = () => {
    if (window.paxosFigures || !document.querySelector('paxos-figure, [data-paxos]')) return;
    const script = document.createElement('script');
    script.src = new URL('playground/figures.js', root).href;
    document.head.append(script);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
