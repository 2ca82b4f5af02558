// @ts-check
/* Links between pages of the book swap the article instead of loading a new page, so
 * the page's worker, with Python already started (about two seconds of CPython start-up
 * in WebAssembly), serves the next lesson at once.
 *
 * A swap fetches the next page, replaces the parts that differ between pages (the
 * article, the print copy of its contents, the previous/next links, the primary
 * sidebar's list with its current item, the "on this page" contents, the title), moves
 * the address bar with the History API and moves focus to the new heading. Everything
 * else (header, theme switch, search) stays as the theme set it up on load; what the
 * theme sets up in the swapped parts on load (copy buttons, toggles, tabs, tooltips, the
 * sidebar's scroll position) is set up again, once, and the phone drawers close, as a
 * full load would show the page.
 *
 * Anything the swap cannot do as a full load would falls back to a normal navigation:
 * links outside the book, modified or middle clicks, downloads, other targets, a failed
 * fetch, a page of another deployment (`<meta name="lw-build">`, early_start.py) or a
 * page needing a script this one has not loaded (the search page).
 *
 * The pure parts (which clicks to swap, whether a fetched page fits) take plain values
 * and are tested with node --test (tests/js/navigation.test.mjs).
 */

/** The parts of a page that differ between pages, swapped as whole elements. */
export const SWAPPED_PARTS = ["#jb-print-docs-body", "article.bd-article", "footer.prev-next-footer", "nav.bd-docs-nav"];
/**
 * The "on this page" sidebar: the theme's toggle for it (phones) holds on to the element
 * it found on load, so only its contents are swapped; a page without one (the glossary)
 * hides it, as a full load of that page would not show it.
 */
const PAGE_TOC = "#pst-secondary-sidebar";

/** Folders of the site that hold files, never pages of the book. */
const NOT_PAGES = /\/(_static|_sources|_images|_downloads)\//;

/**
 * The URL to swap in for a click on a link, or null to let the browser navigate.
 * @param {{href: string, target: string, download: boolean}} link
 * @param {{button: number, ctrlKey: boolean, metaKey: boolean, shiftKey: boolean, altKey: boolean, defaultPrevented: boolean}} click
 * @param {string} current the page's URL now
 * @param {string} siteRoot the book's root URL (the folder holding _static/)
 * @returns {URL | null}
 */
export function swapTarget(link, click, current, siteRoot) {
  if (click.defaultPrevented || click.button !== 0) return null;
  if (click.ctrlKey || click.metaKey || click.shiftKey || click.altKey) return null;
  if (link.download || (link.target && link.target !== "_self")) return null;
  let url;
  try {
    url = new URL(link.href, current);
  } catch {
    return null;
  }
  const here = new URL(current);
  if (url.origin !== here.origin || !url.href.startsWith(siteRoot)) return null;
  if (url.pathname === here.pathname && url.search === here.search) return null; // same page: the browser scrolls
  // Pages that do their work on load from the query (search results, highlighted terms)
  // or are Sphinx's own generated pages.
  if (url.search || /\/(search|genindex)\.html$/.test(url.pathname)) return null;
  if (NOT_PAGES.test(url.pathname.slice(new URL(siteRoot).pathname.length - 1))) return null;
  if (!(url.pathname.endsWith(".html") || url.pathname.endsWith("/"))) return null;
  return url;
}

/**
 * @typedef {object} PageShape
 * @property {string} build the deployment (`<meta name="lw-build">`)
 * @property {string[]} scripts absolute URLs of its scripts
 * @property {boolean[]} parts which of SWAPPED_PARTS it has
 * @property {boolean} toc whether it has the "on this page" sidebar
 */

/**
 * Why a fetched page cannot be swapped in, or "" when it can.
 * @param {PageShape} current
 * @param {PageShape} next
 */
export function swapRefusal(current, next) {
  if (!next.build || next.build !== current.build) return "another deployment";
  const loaded = new Set(current.scripts);
  const missing = next.scripts.filter((src) => !loaded.has(src));
  if (missing.length > 0) return `needs ${missing[0]}`;
  if (!next.parts[SWAPPED_PARTS.indexOf("article.bd-article")]) return "no article";
  const mismatch = SWAPPED_PARTS.find((_, index) => current.parts[index] !== next.parts[index]);
  if (mismatch) return `different layout (${mismatch})`;
  if (next.toc && !current.toc) return `different layout (${PAGE_TOC})`;
  return "";
}

/**
 * What swapRefusal compares, read from a document whose URL is `base`.
 * @param {Document} doc
 * @param {string} base
 * @returns {PageShape}
 */
function describe(doc, base) {
  return {
    build: doc.querySelector('meta[name="lw-build"]')?.getAttribute("content") || "",
    scripts: [...doc.querySelectorAll("script[src]")].map((s) => new URL(s.getAttribute("src") || "", base).href),
    parts: SWAPPED_PARTS.map((selector) => Boolean(doc.querySelector(selector))),
    toc: Boolean(doc.querySelector(PAGE_TOC)),
  };
}

/**
 * @typedef {object} Swapper
 * @property {() => void} teardown ends the article on show (its widgets, requests, listeners)
 * @property {(article: HTMLElement) => void} setUp makes the new article live
 */

/** Scroll positions of the history entries this page made, by entry number. */
const scrolls = new Map();
let entry = 0;
let entries = 0;
/** @type {AbortController | null} */
let inFlight = null;
/** The page (path and query) whose article is on show; a popstate to it is a hash change. */
let shownPage = "";

/** @param {string} href */
function pageOf(href) {
  const url = new URL(href);
  return url.pathname + url.search;
}

/**
 * Take over clicks on links between pages of the book, and Back/Forward between the
 * entries it made.
 * @param {string} siteRoot the book's root URL
 * @param {Swapper} swapper
 */
export function installNavigation(siteRoot, swapper) {
  if (!("fetch" in window) || !("pushState" in history) || !("DOMParser" in window)) return;
  shownPage = pageOf(location.href);
  history.replaceState({ ...(history.state || {}), lwEntry: entry }, "");
  addEventListener("scroll", () => scrolls.set(entry, scrollY), { passive: true });
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!(link instanceof HTMLAnchorElement)) return;
    const url = swapTarget(
      { href: link.href, target: link.target, download: link.hasAttribute("download") },
      event,
      location.href,
      siteRoot,
    );
    if (!url) return;
    event.preventDefault();
    go(url, swapper, { push: true });
  });
  addEventListener("popstate", (event) => {
    if (pageOf(location.href) === shownPage) return; // a hash change inside the page
    const state = event.state || {};
    go(new URL(location.href), swapper, { push: false, entry: typeof state.lwEntry === "number" ? state.lwEntry : null });
  });
}

/**
 * Swap to `url`, or navigate there normally when the swap cannot be done.
 * @param {URL} url
 * @param {Swapper} swapper
 * @param {{push: boolean, entry?: number | null}} how
 */
async function go(url, swapper, how) {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const fallBack = (/** @type {string} */ reason) => {
    if (controller.signal.aborted) return;
    console.info(`live-widgets: loading ${url.pathname} as a new page (${reason})`);
    if (how.push) location.assign(url.href);
    else location.reload(); // Back/Forward already moved the address bar
  };
  let next;
  try {
    const response = await fetch(url.href, { signal: controller.signal, credentials: "same-origin" });
    const type = response.headers.get("content-type") || "";
    if (!response.ok || !type.includes("html")) {
      fallBack(`HTTP ${response.status} ${type}`);
      return;
    }
    next = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch (error) {
    fallBack(error instanceof Error ? error.message : String(error));
    return;
  }
  if (controller.signal.aborted) return;
  const refusal = swapRefusal(describe(document, location.href), describe(next, url.href));
  if (refusal) {
    fallBack(refusal);
    return;
  }
  inFlight = null;
  await closeDrawers();
  if (controller.signal.aborted) return;
  swapper.teardown();
  scrolls.set(entry, scrollY);
  rememberSidebarScroll();
  if (how.push) {
    history.scrollRestoration = "manual"; // the swap puts the scroll position back itself
    absolutiseKeptLinks();
    entries += 1;
    entry = entries;
    history.pushState({ lwEntry: entry }, "", url.href);
  } else {
    absolutiseKeptLinks();
    entry = how.entry ?? entry;
  }
  shownPage = pageOf(url.href);
  disposeTooltips();
  replaceParts(next);
  const article = /** @type {HTMLElement} */ (document.querySelector("article.bd-article"));
  rerunThemeScripts(article);
  showCurrentPageInSidebar();
  swapper.setUp(article);
  placeScroll(url, how.push ? undefined : scrolls.get(entry));
  focusHeading(article, document.title);
  document.dispatchEvent(new CustomEvent("lw:navigated", { detail: { url: url.href } }));
}

/**
 * Links, forms and images outside the swapped parts were written relative to the old
 * page; make them absolute before the address changes, so they still point where they
 * did (the header's search form, the sidebar's logo link).
 */
function absolutiseKeptLinks() {
  for (const element of document.querySelectorAll("a[href], form[action], img[src]")) {
    const name = element instanceof HTMLFormElement ? "action" : element instanceof HTMLImageElement ? "src" : "href";
    const value = element.getAttribute(name) || "";
    if (value.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(value)) continue;
    element.setAttribute(name, new URL(value, location.href).href);
  }
}

/** @param {Document} next */
function replaceParts(next) {
  for (const selector of SWAPPED_PARTS) {
    const old = document.querySelector(selector);
    const fresh = next.querySelector(selector);
    if (old && fresh) old.replaceWith(document.adoptNode(fresh));
  }
  const toc = /** @type {HTMLElement | null} */ (document.querySelector(PAGE_TOC));
  const freshToc = next.querySelector(PAGE_TOC);
  if (toc) {
    toc.replaceChildren(...(freshToc ? [...freshToc.childNodes].map((n) => document.adoptNode(n)) : []));
    toc.hidden = !freshToc;
    for (const toggle of document.querySelectorAll(".secondary-toggle")) /** @type {HTMLElement} */ (toggle).hidden = !freshToc;
  }
  document.title = next.title;
  const root = next.documentElement.dataset.content_root;
  if (root !== undefined) document.documentElement.dataset.content_root = root;
  // The download-source link in the article header names the page's own source file.
  const oldLinks = document.querySelectorAll(".bd-header-article a[href]");
  const newLinks = next.querySelectorAll(".bd-header-article a[href]");
  if (oldLinks.length === newLinks.length) {
    oldLinks.forEach((link, index) => link.setAttribute("href", newLinks[index].getAttribute("href") || ""));
  }
  // A stylesheet only the new page uses (a page of another kind) is added, never removed.
  const sheets = new Set([...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => /** @type {HTMLLinkElement} */ (l).href));
  for (const link of next.querySelectorAll('link[rel="stylesheet"]')) {
    const href = new URL(link.getAttribute("href") || "", location.href).href;
    if (!sheets.has(href)) document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href }));
  }
  const options = /** @type {any} */ (window).DOCUMENTATION_OPTIONS;
  const pagename = [...next.querySelectorAll("script:not([src])")]
    .map((s) => /DOCUMENTATION_OPTIONS\.pagename = '([^']*)'/.exec(s.textContent || ""))
    .find(Boolean);
  if (options && pagename) options.pagename = pagename[1];
}

/**
 * The theme's own scripts set up the article once, on DOMContentLoaded: run again the
 * ones that touch article content (copy buttons on highlighted code, toggles, tabs),
 * only when the new article has such content (copybutton.js adds a document-wide
 * clipboard handler on each run), and highlight the "on this page" entry of the
 * section in view, as pydata-sphinx-theme does on load.
 * @param {HTMLElement} article
 */
function rerunThemeScripts(article) {
  const scope = /** @type {any} */ (window);
  /** @type {Array<[string, unknown]>} */
  const inits = [
    // copybutton.js declares it with const: a global binding, not a window property.
    // @ts-ignore
    ["div.highlight pre", typeof addCopyButtonToCodeCells === "function" ? withoutNewClipboard(addCopyButtonToCodeCells) : null],
    [".toggle, .admonition.dropdown", scope.initToggleItems],
    [".sd-tab-label", scope.ready],
  ];
  for (const [selector, init] of inits) {
    if (typeof init !== "function" || !article.querySelector(selector)) continue;
    try {
      init();
    } catch (error) {
      console.warn("live-widgets: a theme script did not re-run after the swap:", error);
    }
  }
  setUpTooltips();
  followTableOfContents();
}

/**
 * copybutton.js adds the buttons, then makes a `new ClipboardJS(".copybtn")`, which
 * listens on document.body for clicks on every copy button for the page's life. The one
 * made on load already does for the new article's buttons: run `addButtons` with a
 * stand-in that listens to nothing, so one click copies once and says "Copied!" once.
 * @param {() => void} addButtons
 */
function withoutNewClipboard(addButtons) {
  return () => {
    const scope = /** @type {any} */ (window);
    const clipboard = scope.ClipboardJS;
    if (clipboard === undefined) return; // not loaded: it will run by itself when it is
    scope.ClipboardJS = class {
      on() {
        return this;
      }
    };
    try {
      addButtons();
    } finally {
      scope.ClipboardJS = clipboard;
    }
  };
}

/** What the swap replaces, in the page now on show. */
function swappedElements() {
  const parts = SWAPPED_PARTS.map((selector) => document.querySelector(selector));
  return /** @type {Element[]} */ ([...parts, document.querySelector(PAGE_TOC)].filter(Boolean));
}

const TOOLTIPS = '[data-bs-toggle="tooltip"]';

/** The old parts' Bootstrap tooltips go with them (a tooltip on show would stay behind). */
function disposeTooltips() {
  const tooltip = /** @type {any} */ (window).bootstrap?.Tooltip;
  if (!tooltip) return;
  for (const part of swappedElements()) {
    for (const element of part.querySelectorAll(TOOLTIPS)) tooltip.getInstance(element)?.dispose();
  }
}

/** Bootstrap tooltips on the new parts, as pydata-sphinx-theme's bootstrap.js sets them up on load. */
function setUpTooltips() {
  const tooltip = /** @type {any} */ (window).bootstrap?.Tooltip;
  if (!tooltip) return;
  for (const part of swappedElements()) {
    for (const element of part.querySelectorAll(TOOLTIPS)) tooltip.getOrCreateInstance(element, { delay: { show: 500, hide: 100 } });
  }
}

/**
 * Close the sidebars' dialogs (phones): a full load shows the new page with them closed.
 * The theme moves a dialog's contents back to their sidebar when it hears "close",
 * which comes a task later; the parts are swapped after that.
 */
async function closeDrawers() {
  const open = /** @type {HTMLDialogElement[]} */ (
    ["pst-primary-sidebar-modal", "pst-secondary-sidebar-modal"]
      .map((id) => document.getElementById(id))
      .filter((dialog) => dialog instanceof HTMLDialogElement && dialog.open)
  );
  await Promise.all(
    open.map(
      (dialog) =>
        new Promise((resolve) => {
          dialog.addEventListener("close", resolve, { once: true });
          dialog.close();
        }),
    ),
  );
}

/** pydata-sphinx-theme keeps the sidebar's scroll position for the next page it loads. */
function rememberSidebarScroll() {
  const sidebar = document.querySelector("#pst-primary-sidebar");
  try {
    if (sidebar) sessionStorage.setItem("sidebar-scroll-top", String(sidebar.scrollTop));
  } catch {
    // storage refused: the next full load starts at the current item instead
  }
}

/**
 * The sidebar keeps its scroll position, as a full load does (the theme restores it);
 * when the new current item is out of sight, scroll it into view the way the theme does
 * on a first load (a quarter of the sidebar above it).
 */
function showCurrentPageInSidebar() {
  const sidebar = document.querySelector("#pst-primary-sidebar");
  const current = [...document.querySelectorAll("nav.bd-docs-nav .active, nav.bd-docs-nav .current")].pop();
  if (!sidebar || !current) return;
  const box = sidebar.getBoundingClientRect();
  const item = current.getBoundingClientRect();
  if (box.height === 0 || (item.top >= box.top && item.bottom <= box.bottom)) return;
  sidebar.scrollTop += item.top - box.top - sidebar.clientHeight * 0.25;
}

/** @type {IntersectionObserver | null} */
let tocObserver = null;

/** Mark the "on this page" link of the section at the top of the screen. */
function followTableOfContents() {
  tocObserver?.disconnect();
  const nav = document.querySelector("#pst-page-toc-nav");
  if (!nav || !("IntersectionObserver" in window)) return;
  const links = /** @type {HTMLAnchorElement[]} */ ([...nav.querySelectorAll("a[href^='#']")]);
  const byHeading = new Map();
  for (const link of links) {
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target) byHeading.set(target.querySelector("h1, h2, h3, h4, h5, h6") || target, link);
  }
  const mark = (/** @type {HTMLAnchorElement} */ active) => {
    for (const link of links) {
      const on = link === active;
      link.classList.toggle("active", on);
      if (on) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
      link.closest(".toc-entry")?.classList.toggle("active", on);
    }
  };
  const header = document.querySelector("#pst-header")?.getBoundingClientRect().height || 0;
  tocObserver = new IntersectionObserver(
    (seen) => {
      const visible = seen.filter((e) => e.isIntersecting).pop();
      if (visible) mark(byHeading.get(visible.target));
    },
    { rootMargin: `-${header}px 0px -70% 0px` },
  );
  for (const heading of byHeading.keys()) tocObserver.observe(heading);
}

/**
 * Where a full load would leave the page: the link's section, or the top; for
 * Back/Forward, where the reader left that entry.
 * @param {URL} url
 * @param {number | undefined} saved
 */
function placeScroll(url, saved) {
  const target = url.hash ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
  if (saved !== undefined) window.scrollTo(0, saved);
  else if (target) target.scrollIntoView();
  else window.scrollTo(0, 0);
}

/** Live region that says which page arrived, for screen readers. @type {HTMLElement | null} */
let announcer = null;

/**
 * Focus the new page's heading (a full load starts at the top of the page; a swap
 * moves focus where the new content begins) and announce the page.
 * @param {HTMLElement} article
 * @param {string} title
 */
function focusHeading(article, title) {
  const heading = /** @type {HTMLElement | null} */ (article.querySelector("h1"));
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  if (!announcer) {
    announcer = document.createElement("p");
    announcer.className = "visually-hidden lw-page-announcer";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    document.body.append(announcer);
  }
  announcer.textContent = `Page loaded: ${title}`;
}
