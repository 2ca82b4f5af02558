// @ts-check
/**
 * CodeMirror 6 entry point for the live code cells, bundled by esbuild (IIFE) into
 * `_static/codemirror/editor.js`. It exposes one small API on `window.LiveEditor` so
 * live-widgets.js (a classic script) never touches CodeMirror's internals:
 *
 *   const editor = LiveEditor.create(parent, code, {onRun, onChange, label});
 *   editor.getValue(); editor.setValue(code); editor.focus(); editor.destroy();
 *
 * Only Python is imported: every other language would add weight to every lesson page.
 * Syntax colours come from CSS classes (`tok-keyword`, ...) rather than inline styles,
 * so live-widgets.css can give them light and dark theme variants from one place.
 */
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";

/**
 * @typedef {object} EditorOptions
 * @property {() => void} [onRun] called on Shift+Enter (the cell's Run button does the same)
 * @property {(code: string) => void} [onChange] called after every edit with the new text
 * @property {string} [label] accessible name of the editing area, e.g. "Python code, cell 2"
 */

/**
 * @typedef {object} LiveEditorHandle
 * @property {() => string} getValue
 * @property {(code: string) => void} setValue replaces the whole text (one undo step)
 * @property {() => void} focus
 * @property {() => void} destroy
 * @property {EditorView} view the underlying view, for tests and debugging only
 */

/**
 * Create an editor inside `parent` holding `doc`.
 * @param {HTMLElement} parent
 * @param {string} doc
 * @param {EditorOptions} [options]
 * @returns {LiveEditorHandle}
 */
function create(parent, doc, options = {}) {
  if (!(parent instanceof HTMLElement)) {
    throw new TypeError("LiveEditor.create: parent must be an HTML element");
  }
  if (typeof doc !== "string") {
    throw new TypeError("LiveEditor.create: doc must be a string of Python code");
  }
  const { onRun, onChange, label = "Python code" } = options;

  // Shift+Enter runs the cell, as in Jupyter; highest precedence so it beats
  // insertNewline from the default keymap.
  const runKeymap = Prec.highest(
    keymap.of([
      {
        key: "Shift-Enter",
        run: () => {
          if (onRun) onRun();
          return true;
        },
      },
    ]),
  );

  const notifyChanges = EditorView.updateListener.of((update) => {
    if (update.docChanged && onChange) onChange(update.state.doc.toString());
  });

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        indentUnit.of("    "),
        // Long lines wrap instead of scrolling sideways: on a 375 px phone a sideways
        // scroller hides code, and it cannot be reached with the keyboard.
        EditorView.lineWrapping,
        python(),
        syntaxHighlighting(classHighlighter),
        runKeymap,
        // Tab indents like a code editor; Escape then Tab still leaves the editor
        // (CodeMirror's tab-focus mode), which the cell's help text tells the reader.
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        notifyChanges,
        // tabindex="0": the editing area is already in the tab order (contenteditable), but
        // accessibility checkers only count elements with a tabindex or native controls as
        // keyboard-reachable, and flag the scrolling wrapper around a long cell otherwise.
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
      ],
    }),
  });

  return {
    getValue: () => view.state.doc.toString(),
    setValue: (code) => {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
    view,
  };
}

/** @type {{create: typeof create}} */
const LiveEditor = Object.freeze({ create });
// @ts-ignore -- a deliberate global: the only way a classic script reaches the bundle.
window.LiveEditor = LiveEditor;
