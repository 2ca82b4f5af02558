// @ts-check
/* Pictures a trainer draws in Python as SVG markup (gradflow.digit_features: the first
 * layer's weights, the digits that excite a unit). The page holds the build-time pictures
 * in <figure class="lw-image-grid" data-lw-image="NAME">; each streamed state's "images"
 * replace them. Python draws them so the page and the browser show the same pixels;
 * plotly's basic bundle has no heatmap. */

/** @typedef {{name: string, svg: string, label: string}} Picture */

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The pictures of a state that can be shown, and what is wrong with the rest (pure).
 * @param {unknown} images a state's "images" (absent for states without pictures)
 * @returns {{pictures: Picture[], problems: string[]}}
 */
export function readPictures(images) {
  /** @type {Picture[]} */
  const pictures = [];
  /** @type {string[]} */
  const problems = [];
  if (images === undefined || images === null) return { pictures, problems };
  if (!Array.isArray(images)) return { pictures, problems: [`"images" must be a list, got ${typeof images}`] };
  images.forEach((item, index) => {
    const { name, svg, label } = item && typeof item === "object" ? item : /** @type {any} */ ({});
    if (typeof name !== "string" || !/^[a-z][a-z0-9-]*$/.test(name)) {
      problems.push(`picture ${index} has no valid name`);
    } else if (typeof svg !== "string" || !svg.startsWith("<svg ")) {
      problems.push(`picture "${name}" is not SVG markup`);
    } else {
      pictures.push({ name, svg, label: typeof label === "string" ? label : "" });
    }
  });
  return { pictures, problems };
}

/**
 * Parse one picture's markup as SVG (never as HTML, so nothing in it runs) and drop
 * anything active, in case the markup ever carried it.
 * @param {string} markup
 * @returns {Element | null} null if it is not well-formed SVG
 */
function parseSvg(markup) {
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
  for (const active of Array.from(root.querySelectorAll("script, foreignObject"))) active.remove();
  for (const node of [root, ...Array.from(root.querySelectorAll("*"))]) {
    for (const attr of Array.from(node.attributes)) if (attr.name.toLowerCase().startsWith("on")) node.removeAttribute(attr.name);
  }
  return document.importNode(root, true);
}

/** The markup each figure shows now, so an unchanged picture is not parsed again. */
const shown = new WeakMap();

/**
 * Replace the widget's pictures with a state's. Returns what could not be shown (the
 * caller says it on the status line; the old picture stays).
 * @param {HTMLElement} root the widget
 * @param {unknown} images the state's "images"
 * @returns {string[]}
 */
export function showPictures(root, images) {
  const { pictures, problems } = readPictures(images);
  for (const picture of pictures) {
    const figure = root.querySelector(`figure.lw-image-grid[data-lw-image="${picture.name}"]`);
    if (!figure) {
      problems.push(`the page has no place for picture "${picture.name}"`);
      continue;
    }
    // the caption names the step, so it changes even when the picture looks the same
    const caption = figure.querySelector(":scope > figcaption");
    if (shown.get(figure) === picture.svg) {
      if (caption && picture.label) caption.textContent = picture.label;
      continue;
    }
    const svg = parseSvg(picture.svg);
    if (!svg) {
      problems.push(`picture "${picture.name}" is not well-formed SVG`);
      continue;
    }
    const old = figure.querySelector(":scope > svg");
    if (old) old.replaceWith(svg);
    else figure.prepend(svg);
    shown.set(figure, picture.svg);
    if (caption && picture.label) caption.textContent = picture.label;
  }
  return problems;
}
