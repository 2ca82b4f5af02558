// Which pictures of a streamed state can be shown (widgets/live_widgets/js/image-grid.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";

import { readPictures } from "../../widgets/live_widgets/js/image-grid.mjs";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"></svg>';

test("a state without pictures has nothing to show and nothing wrong", () => {
  assert.deepEqual(readPictures(undefined), { pictures: [], problems: [] });
  assert.deepEqual(readPictures(null), { pictures: [], problems: [] });
});

test("well-formed pictures are kept in order, with their labels", () => {
  const { pictures, problems } = readPictures([
    { name: "weights", svg, label: "The weights" },
    { name: "top-inputs", svg },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(pictures, [
    { name: "weights", svg, label: "The weights" },
    { name: "top-inputs", svg, label: "" },
  ]);
});

test("bad pictures are named and left out; good ones beside them still show", () => {
  const { pictures, problems } = readPictures([
    { name: "Weights!", svg },
    { name: "weights", svg: "<div>not svg</div>" },
    "not an object",
    { name: "top-inputs", svg },
  ]);
  assert.deepEqual(pictures.map((p) => p.name), ["top-inputs"]);
  assert.deepEqual(problems, [
    "picture 0 has no valid name",
    'picture "weights" is not SVG markup',
    "picture 2 has no valid name",
  ]);
});

test("images that are not a list are one problem", () => {
  assert.deepEqual(readPictures({ name: "weights", svg }), { pictures: [], problems: ['"images" must be a list, got object'] });
});
