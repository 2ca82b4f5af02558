// Share links `#NAME?key=value` (widgets/live_widgets/js/share-link.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { settingsFromLink, shareLink } from "../../widgets/live_widgets/js/share-link.mjs";

const PAGE = "https://example.org/book/lessons/02-vanishing-gradients.html";
const BASE = { depth: 20, activation: "sigmoid", residual: false, std: 1 };

test("a link lists only the settings that differ from the directive's", () => {
  const link = shareLink("flow", { ...BASE, depth: 30, residual: true }, BASE, PAGE);
  const url = new URL(link);
  assert.equal(url.origin + url.pathname, PAGE);
  assert.equal(url.hash, "#flow?depth=30&residual=true");
});

test("unchanged settings give a plain link to the widget", () => {
  assert.equal(shareLink("flow", { ...BASE }, BASE, PAGE), `${PAGE}#flow`);
});

test("the page's own fragment is replaced and its query kept", () => {
  const link = shareLink("flow", { ...BASE, depth: 5 }, BASE, `${PAGE}?print=1#other?depth=9`);
  assert.equal(link, `${PAGE}?print=1#flow?depth=5`);
});

test("opening a link restores exactly the settings it was made from, typed", () => {
  const settings = { depth: 50, activation: "relu", residual: true, std: 0.125 };
  const hash = new URL(shareLink("flow", settings, BASE, PAGE)).hash;
  assert.deepEqual(settingsFromLink("flow", BASE, hash), {
    settings,
    problems: [],
    applied: ["depth", "activation", "residual", "std"],
    keepPrompt: false,
  });
});

test("a link to another widget, or no link at all, is not this widget's", () => {
  assert.equal(settingsFromLink("flow", BASE, "#other?depth=3"), null);
  assert.equal(settingsFromLink("flow", BASE, "#flow"), null);
  assert.equal(settingsFromLink("flow", BASE, ""), null);
  // "%E0" is not UTF-8: a mangled fragment is ignored, not an error.
  assert.equal(settingsFromLink("flow", BASE, "#flow?depth=%E0"), null);
});

test("a percent-encoded link reads like the plain one", () => {
  const linked = settingsFromLink("flow", BASE, "#flow%3Fdepth%3D40");
  assert.deepEqual(linked, { settings: { ...BASE, depth: 40 }, problems: [], applied: ["depth"], keepPrompt: false });
});

test("unknown names and unreadable values are reported, and the rest applied", () => {
  const linked = settingsFromLink("flow", BASE, "#flow?depth=deep&colour=red&activation=tanh&residual=yes");
  assert.deepEqual(linked, {
    settings: { ...BASE, activation: "tanh", residual: true },
    problems: ["depth=deep is not a valid value", 'unknown setting "colour"'],
    applied: ["activation", "residual"],
    keepPrompt: false,
  });
});

test("a link opens past the predict prompt unless it says predict=ask", () => {
  assert.equal(settingsFromLink("flow", BASE, "#flow?depth=10")?.keepPrompt, false);
  const asking = settingsFromLink("flow", BASE, "#flow?depth=10&predict=ask");
  assert.deepEqual(asking, { settings: { ...BASE, depth: 10 }, problems: [], applied: ["depth"], keepPrompt: true });
  const wrong = settingsFromLink("flow", BASE, "#flow?predict=yes");
  assert.equal(wrong?.keepPrompt, false);
  assert.deepEqual(wrong?.problems, ["predict=yes is not a valid value (only predict=ask)"]);
});

test("a value holding &, = or % comes back as it was made", () => {
  const base = { label: "plain", depth: 30 };
  const link = shareLink("w", { label: "a&b=c%25 d", depth: 40 }, base, "https://example.org/p.html");
  const back = settingsFromLink("w", base, new URL(link).hash);
  assert.deepEqual(back?.settings, { label: "a&b=c%25 d", depth: 40 });
  assert.deepEqual(back?.problems, []);
});
