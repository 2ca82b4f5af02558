"""The lesson checker: a good lesson passes, and each kind of defect is reported at the
right file and line. Each defect case changes one thing in the sample book."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from authoring_helpers import REPO, line_of

LESSON = "lessons/good-lesson.md"
OTHER = "book/other-page.md"


@dataclass
class Defect:
    id: str
    file: str          # the file to change
    old: str           # text replaced ...
    new: str           # ... by this
    anchor: str        # the reported line is the one holding this text (after the change)
    message: str       # a part of the expected message
    run_code: bool = False
    occurrence: int = 1  # which appearance of the anchor

    def __str__(self) -> str:
        return self.id


DEFECTS = [
    # required parts
    Defect("no-label", LESSON, "(lesson-sample)=\n", "", "# A sample lesson",
           "(label)= target directly followed by its '# Title'"),
    Defect("two-titles", LESSON, "## Live parts", "# Live parts", "# Live parts",
           "exactly one H1 title"),
    Defect("no-objectives", LESSON, "## Learning objectives", "## Goals", "(lesson-sample)=",
           "missing the section '## Learning objectives'"),
    Defect("no-takeaways", LESSON, "## Key takeaways", "## Summary", "(lesson-sample)=",
           "missing the section '## Key takeaways'"),
    Defect("no-references", LESSON, "## References", "## Sources", "(lesson-sample)=",
           "missing the section '## References'"),
    Defect("quiz-outside-section", LESSON, "## Check your understanding", "## Quiz time",
           "(lesson-sample)=", "missing the section '## Check your understanding'"),
    Defect("short-quiz", LESSON,
           "- question: Which network has a skip connection?\n"
           "  choices: [\"Plain\", \"Residual\"]\n  answer: 1\n"
           "  explain: The residual one adds its input back.\n", "",
           ":::{quiz}", "fewer than 3 questions"),
    # directive options, checked with the extension's specs and gradflow
    Defect("depth-not-a-number", LESSON, ":depth: 20", ":depth: twenty", "```{gradient-flow}",
           ":depth:"),
    Defect("depth-out-of-range", LESSON, ":depth: 20", ":depth: 5000", "```{gradient-flow}",
           "depth"),
    Defect("unknown-activation", LESSON, ":activation: sigmoid", ":activation: softmax",
           "```{gradient-flow}", "softmax"),
    Defect("unknown-option", LESSON, ":mode: both", ":mode: both\n:colour: red",
           "```{gradient-flow}", "colour"),
    Defect("unknown-control", LESSON, ":controls: depth activation",
           ":controls: depth flavour", "```{gradient-flow}", "flavour"),
    Defect("predict-without-choices", LESSON, ":caption: One sentence.",
           ":caption: One sentence.\n:predict: What reaches layer 1?", "```{gradient-flow}",
           ":predict: and :predict-choices: must be given together"),
    Defect("bad-widget-name", LESSON, ":name: sample-flow", ":name: Sample_Flow",
           "```{gradient-flow}", "lower-case"),
    Defect("quiz-answer-out-of-range", LESSON, "  answer: 2\n", "  answer: 7\n",
           "- question: What is the largest slope", '"answer" must be the index'),
    Defect("quiz-without-explain", LESSON, "  explain: Twenty quarters multiplied.\n", "",
           "- question: What is 0.25 to the power 20?", '"explain" must be non-empty'),
    Defect("exercise-without-checks", LESSON,
           "checks:\n  - name: Twenty quarters\n"
           "    code: assert abs(product([base] * 20) - 0.25 ** 20) < 1e-20\n", "",
           ":::{exercise}", '"checks" must be a non-empty list'),
    Defect("heading-level-jump", LESSON, "## Learning objectives", "### Learning objectives",
           "### Learning objectives",
           "heading level jumps from H1 to H3: use ## here"),
    # names the build does not know (the build fails on each: MyST warns, -W)
    Defect("misspelt-directive", LESSON, ":::{quiz}", ":::{quizz}", ":::{quizz}",
           "unknown directive {quizz} (did you mean {quiz}?)"),
    Defect("misspelt-widget", LESSON, "```{gradient-flow}", "```{gradient-flows}",
           "```{gradient-flows}", "unknown directive {gradient-flows}"),
    Defect("misspelt-role", LESSON, "{term}`gradient` widget", "{terms}`gradient` widget",
           "{terms}`gradient`", "unknown role {terms} (did you mean {term}?)"),
    Defect("unknown-cell-option", LESSON, ":hidden:", ":hiden:", "```{live-code}",
           "{live-code}: Unknown option keys: ['hiden']"),
    Defect("quiz-unknown-option", LESSON, ":name: quiz-sample", ":name: quiz-sample\n:shuffle: true",
           ":::{quiz}", "{quiz}: Unknown option keys: ['shuffle']"),
    Defect("exercise-unknown-key", LESSON, "hints:\n", "hint:\n", ":::{exercise}",
           "unknown key(s) hint"),
    # code run in CPython
    Defect("cell-fails", LESSON, "print(base ** 20)", "print(bass ** 20)",
           "```{live-code}", "NameError", run_code=True, occurrence=2),
    Defect("raises-but-runs", LESSON, 'int("twenty")', 'int("20")', "```{live-code}",
           "should raise ValueError", run_code=True, occurrence=3),
    Defect("raises-something-else", LESSON, 'int("twenty")', "1 / 0", "```{live-code}",
           "ZeroDivisionError", run_code=True, occurrence=3),
    Defect("solution-fails", LESSON, "          result *= factor", "          result += factor",
           ":::{exercise}", "the solution does not pass its own checks", run_code=True),
    Defect("starter-already-passes", LESSON, "  def product(factors):\n      ...",
           "  def product(factors):\n      import math\n      return math.prod(factors)",
           ":::{exercise}", "starter code already passes", run_code=True),
    # valid settings one by one, but a stack too large for a browser tab: the build's
    # compute refuses it, so the checker's does
    Defect("view-too-large", LESSON, ":depth: 20\n:activation: sigmoid\n:mode: both\n",
           ":depth: 200\n:activation: sigmoid\n:mode: residual\n:width: 128\n:branch-layers: 2\n",
           "```{gradient-flow}", "gradflow could not compute this view: ValueError: This stack is too large",
           run_code=True),
    Defect("computed-fails", LESSON, "first_to_last_ratio | .1e", "first_to_lost_ratio | .1e",
           "{computed}", "first_to_lost_ratio", run_code=True),
    # figures
    Defect("figure-without-alt", LESSON,
           ":alt: A box labelled F with an arrow around it; the two meet at a plus sign.\n", "",
           "```{figure}", "has no :alt: text"),
    Defect("figure-missing-file", LESSON, "good-lesson/block.svg", "good-lesson/blok.svg",
           "```{figure}", "no such file 'good-lesson/blok.svg'"),
    # references
    Defect("unknown-term", LESSON, "{term}`gradient` widget", "{term}`gradiant` widget",
           "{term}`gradiant`", "'gradiant' is not in book/glossary.md"),
    Defect("unknown-term-in-dropdown", LESSON, "{term}`Jacobian`", "{term}`Jacobean`",
           "{term}`Jacobean`", "'Jacobean' is not in book/glossary.md"),
    Defect("unknown-term-in-exercise", LESSON, "{term}`chain rule`", "{term}`chain rules`",
           "{term}`chain rules`", "'chain rules' is not in book/glossary.md"),
    Defect("unknown-citation", LESSON, "{cite:p}`he2015resnet`", "{cite:p}`he2015resnt`",
           "{cite:p}`he2015resnt`", "'he2015resnt' is not a key of book/references.bib"),
    Defect("unknown-ref", LESSON, "<quiz-sample>", "<quiz-simple>", "<quiz-simple>",
           "no label 'quiz-simple'"),
    Defect("link-to-missing-page", LESSON, "../book/other-page.md", "../book/no-page.md",
           "no-page.md", "not a page of _toc.yml"),
    Defect("share-link-unknown-widget", OTHER, "#sample-flow?", "#sample-flew?", "sample-flew",
           "no chart widget 'sample-flew'"),
    Defect("share-link-bad-setting", OTHER, "depth=40", "depth=400", "depth=400", "depth"),
    Defect("share-link-to-a-race", OTHER, "../lessons/good-lesson.html#sample-flow?depth=40",
           "../lessons/good-lesson.html#sample-race?steps=100", "sample-race",
           "a training race cannot be opened by a link"),
    Defect("share-link-bad-predict", OTHER, "activation=tanh&predict=ask",
           "activation=tanh&predict=yes", "predict=yes", "predict=ask keeps"),
    Defect("share-link-unknown-setting", OTHER, "activation=tanh", "colour=red", "colour=red",
           "'colour' is not a setting"),
]


@pytest.mark.parametrize("run_code", [False, True], ids=["structure", "with-code"])
def test_the_sample_lesson_passes(checker, sample_book: Path, run_code: bool) -> None:
    problems = checker.check_book(sample_book, run_code=run_code)
    assert [p.format(sample_book) for p in problems] == []


@pytest.mark.parametrize("defect", DEFECTS, ids=str)
def test_each_defect_is_reported_at_its_file_and_line(checker, sample_book: Path,
                                                      defect: Defect) -> None:
    path = sample_book / defect.file
    text = path.read_text(encoding="utf-8")
    assert defect.old in text, f"the sample book no longer contains {defect.old!r}"
    path.write_text(text.replace(defect.old, defect.new, 1), encoding="utf-8")
    line = line_of(path, defect.anchor, defect.occurrence)

    problems = checker.check_book(sample_book, run_code=defect.run_code)

    reported = [p.format(sample_book) for p in problems]
    expected_start = f"{defect.file}:{line}: "
    assert any(r.startswith(expected_start) and defect.message in r for r in reported), (
        f"expected a problem starting {expected_start!r} containing {defect.message!r}; "
        f"got {reported}")


def test_a_page_missing_from_disk_is_reported_against_the_toc(checker, sample_book: Path) -> None:
    (sample_book / "book" / "other-page.md").unlink()
    reported = [p.format(sample_book) for p in checker.check_book(sample_book, run_code=False)]
    assert "_toc.yml:1: lists book/other-page.md, which does not exist" in reported


def test_only_the_named_files_are_checked(checker, sample_book: Path) -> None:
    other = sample_book / OTHER
    other.write_text(other.read_text().replace("depth=40", "depth=400"))
    lesson_only = checker.check_book(sample_book, [sample_book / LESSON], run_code=False)
    assert lesson_only == []
    assert checker.check_book(sample_book, [sample_book / OTHER], run_code=False)


def test_run_as_a_file_it_prints_problems_and_exits_1(sample_book: Path) -> None:
    lesson = sample_book / LESSON
    lesson.write_text(lesson.read_text().replace(":depth: 20", ":depth: twenty"))
    completed = subprocess.run(
        [sys.executable, str(REPO / "build" / "check_lessons.py"), "--root", str(sample_book),
         "--no-run"], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1
    line = line_of(lesson, "```{gradient-flow}")
    assert completed.stdout.startswith(f"{LESSON}:{line}: {{gradient-flow}}: :depth:")
    assert "1 problem(s) in 3 page(s)" in completed.stderr


def test_run_as_a_file_on_a_good_book_exits_0(sample_book: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(REPO / "build" / "check_lessons.py"), "--root", str(sample_book)],
        capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout == ""


@pytest.mark.slow  # every page's code and views: minutes (the book build does it too)
def test_every_lesson_of_the_real_book_passes(checker) -> None:
    """The checker in the test suite: every page of the book, code included."""
    problems = checker.check_book(REPO)
    assert [p.format(REPO) for p in problems] == []
