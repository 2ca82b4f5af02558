// Which clicks swap the article and which pages can be swapped in
// (widgets/live_widgets/js/navigation.mjs), and how the worker serves prefetched wheels
// to Pyodide (widgets/live_widgets/js/worker/prefetch.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { SWAPPED_PARTS, swapRefusal, swapTarget } from "../../widgets/live_widgets/js/navigation.mjs";
import { fetchWithPrefetched, integrityOf, wheelsOf } from "../../widgets/live_widgets/js/worker/prefetch.mjs";

const ROOT = "https://user.github.io/repo/";
const HERE = `${ROOT}lessons/03-crisis-before-2015.html`;
const PLAIN = { button: 0, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
const link = (href, extra = {}) => ({ href, target: "", download: false, ...extra });

test("a plain click on another page of the book is swapped", () => {
  assert.equal(swapTarget(link("05-residual-idea.html"), PLAIN, HERE, ROOT)?.href, `${ROOT}lessons/05-residual-idea.html`);
  assert.equal(swapTarget(link("../book/glossary.html#term-relu"), PLAIN, HERE, ROOT)?.href, `${ROOT}book/glossary.html#term-relu`);
  assert.equal(swapTarget(link("../"), PLAIN, HERE, ROOT)?.href, ROOT);
});

test("modified and middle clicks, other targets and downloads are left to the browser", () => {
  for (const key of ["ctrlKey", "metaKey", "shiftKey", "altKey"]) {
    assert.equal(swapTarget(link("05-residual-idea.html"), { ...PLAIN, [key]: true }, HERE, ROOT), null, key);
  }
  assert.equal(swapTarget(link("05-residual-idea.html"), { ...PLAIN, button: 1 }, HERE, ROOT), null);
  assert.equal(swapTarget(link("05-residual-idea.html"), { ...PLAIN, defaultPrevented: true }, HERE, ROOT), null);
  assert.equal(swapTarget(link("05-residual-idea.html", { target: "_blank" }), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("05-residual-idea.html", { download: true }), PLAIN, HERE, ROOT), null);
  assert.notEqual(swapTarget(link("05-residual-idea.html", { target: "_self" }), PLAIN, HERE, ROOT), null);
});

test("links outside the book, to files, or within the same page are left to the browser", () => {
  assert.equal(swapTarget(link("https://arxiv.org/abs/1512.03385"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("https://user.github.io/other-repo/index.html"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("../_sources/lessons/03-crisis-before-2015.md"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("../_static/third-party/NOTICES.txt"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("../_static/page.html"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("#fix-3-batch-normalisation"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link(`${HERE}#references`), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("mailto:someone@example.org"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("data.csv"), PLAIN, HERE, ROOT), null);
  // pages that work from the query on load, and Sphinx's generated pages
  assert.equal(swapTarget(link("../search.html"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("../genindex.html"), PLAIN, HERE, ROOT), null);
  assert.equal(swapTarget(link("05-residual-idea.html?highlight=shortcut"), PLAIN, HERE, ROOT), null);
});

const page = (build, scripts, parts = SWAPPED_PARTS.map(() => true), toc = true) => ({ build, scripts, parts, toc });

test("a page of the same deployment with the same scripts and layout can be swapped in", () => {
  const here = page("952fb9afa8622bad", ["a.js?v=1", "live-widgets.js?v=2"]);
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", ["a.js?v=1"])), "");
});

test("another deployment, a script not loaded here or another layout means a full load", () => {
  const here = page("952fb9afa8622bad", ["a.js?v=1", "live-widgets.js?v=2"]);
  assert.equal(swapRefusal(here, page("0000000000000000", ["a.js?v=1"])), "another deployment");
  assert.equal(swapRefusal(here, page("", ["a.js?v=1"])), "another deployment");
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", ["a.js?v=1", "live-widgets.js?v=3"])), "needs live-widgets.js?v=3");
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", ["searchtools.js"])), "needs searchtools.js");
  const noArticle = SWAPPED_PARTS.map((selector) => selector !== "article.bd-article");
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", [], noArticle)), "no article");
  const noFooter = SWAPPED_PARTS.map((selector) => selector !== "footer.prev-next-footer");
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", [], noFooter)), "different layout (footer.prev-next-footer)");
  // a page without "on this page" contents (the glossary) can follow a lesson, not precede one
  const all = SWAPPED_PARTS.map(() => true);
  assert.equal(swapRefusal(here, page("952fb9afa8622bad", [], all, false)), "");
  assert.equal(swapRefusal(page("952fb9afa8622bad", [], all, false), page("952fb9afa8622bad", [], all, true)), "different layout (#pst-secondary-sidebar)");
});

test("integrity strings are what Pyodide asks fetch for (sha256, base64)", () => {
  // sha256 of the empty string
  assert.equal(integrityOf("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
});

test("the wheels of the requested packages and their dependencies, dependencies first", () => {
  const lock = {
    packages: {
      gradflow: { file_name: "gradflow.whl", sha256: "aa", depends: ["numpy"] },
      numpy: { file_name: "numpy.whl", sha256: "bb", depends: [] },
      other: { file_name: "other.whl", sha256: "cc", depends: [] },
    },
  };
  assert.deepEqual(wheelsOf(lock, ["numpy", "gradflow"]), [
    { fileName: "numpy.whl", sha256: "bb" },
    { fileName: "gradflow.whl", sha256: "aa" },
  ]);
  assert.deepEqual(wheelsOf(null, ["numpy"]), []);
});

test("a prefetched response is served once; a failed prefetch falls back to a real fetch", async () => {
  const calls = [];
  const realFetch = async (input) => {
    calls.push(String(input));
    return new Response(`real ${input}`);
  };
  const prefetched = new Map([
    ["https://x/numpy.whl", Promise.resolve(new Response("early numpy"))],
    ["https://x/gradflow.whl", Promise.reject(new Error("offline"))],
    ["https://x/missing.whl", Promise.resolve(new Response("gone", { status: 404 }))],
  ]);
  const patched = fetchWithPrefetched(realFetch, prefetched);
  assert.equal(await (await patched(new URL("https://x/numpy.whl"))).text(), "early numpy");
  assert.equal(await (await patched("https://x/numpy.whl")).text(), "real https://x/numpy.whl");
  assert.equal(await (await patched("https://x/gradflow.whl")).text(), "real https://x/gradflow.whl");
  assert.equal(await (await patched("https://x/missing.whl")).text(), "real https://x/missing.whl");
  assert.deepEqual(calls, ["https://x/numpy.whl", "https://x/gradflow.whl", "https://x/missing.whl"]);
});
