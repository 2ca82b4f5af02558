// @ts-check
/* Search result snippets without TeX source (search page only; assets.py adds it).
 *
 * Sphinx's search builds each snippet from the result page's text, which holds every
 * formula twice besides its drawing: KaTeX's MathML for screen readers, whose
 * <annotation> is the TeX source ("I + \partial F"). The snippet then showed raw TeX.
 * Before Sphinx reads a page's text, this takes KaTeX's MathML copies out, so a formula
 * reads once, as drawn. Deferred, so it runs after searchtools.js and before the search
 * (which waits for the page to be ready and the index to load). */
(() => {
  /** @type {{htmlToText: (html: string, anchor?: string) => string} | undefined} */
  // @ts-ignore -- searchtools.js declares `const Search` as a script-wide global
  const search = typeof Search === "undefined" ? undefined : Search;
  if (!search || typeof search.htmlToText !== "function") return;
  const htmlToText = search.htmlToText;
  search.htmlToText = (html, anchor) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    for (const mathml of page.querySelectorAll(".katex-mathml")) mathml.remove();
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
})();
