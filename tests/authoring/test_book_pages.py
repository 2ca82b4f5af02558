"""The book pages agree with their sources of truth: the glossary and bibliography with
the contract (ARCHITECTURE.md section 7), the teacher's quiz answers with the lessons'
quizzes, the authoring guide's option tables with the extension, the landing page with
the table of contents."""

from __future__ import annotations

import re

import pytest
import yaml

from authoring_helpers import REPO

ARCHITECTURE = (REPO / "widgets" / "ARCHITECTURE.md").read_text(encoding="utf-8")
BOOK = REPO / "book"


def contract_terms() -> list[str]:
    text = ARCHITECTURE.split("Terms, exactly as spelled here:", 1)[1].split("Use ``", 1)[0]
    return [term.strip() for term in " ".join(text.split()).rstrip(".").split(",")]


def contract_citations() -> dict[str, str]:
    """key -> arXiv id, for the keys the contract gives an arXiv number."""
    section = " ".join(ARCHITECTURE.split("## 7.", 1)[1].split("Glossary", 1)[0].split())
    found = dict(re.findall(r"`(\w+)` \((?:arXiv:)?(\d{4}\.\d{4,5})\)", section))
    assert len(found) >= 10, "could not read the citation keys of ARCHITECTURE.md section 7"
    return found


def test_the_glossary_defines_exactly_the_contract_terms(checker) -> None:
    terms = contract_terms()
    glossary = checker.parse_page(BOOK / "glossary.md")
    [block] = [d for d in glossary.directives if d.name == "glossary"]
    defined = [line for line in block.body.splitlines() if line and not line[0].isspace()]
    assert defined == terms


def test_each_glossary_definition_is_one_or_two_sentences(checker) -> None:
    glossary = checker.parse_page(BOOK / "glossary.md")
    [block] = [d for d in glossary.directives if d.name == "glossary"]
    definitions = re.split(r"\n(?=\S)", block.body.strip())
    for entry in definitions:
        term, _, text = entry.partition("\n")
        prose = " ".join(text.split()).replace("et al.", "et al")
        sentences = re.findall(r"[.!?](?:\s|$)", prose)
        assert 1 <= len(sentences) <= 2, f"{term}: {len(sentences)} sentences"


def test_the_bibliography_has_every_contract_key_with_its_arxiv_id(checker) -> None:
    from pybtex.database import parse_file
    entries = parse_file(str(BOOK / "references.bib")).entries
    section = " ".join(ARCHITECTURE.split("## 7.", 1)[1].split("Glossary", 1)[0].split())
    contract_keys = re.findall(r"`(\w+\d{4}\w*)` \(", section)
    assert contract_keys, "could not read the citation keys of ARCHITECTURE.md section 7"
    assert set(contract_keys) <= set(entries), set(contract_keys) - set(entries)
    for key, arxiv in contract_citations().items():
        assert entries[key].fields.get("eprint") == arxiv, key
    for key, entry in entries.items():
        for field in ("title", "year"):
            assert entry.fields.get(field), f"{key} has no {field}"
        assert entry.persons.get("author"), f"{key} has no author"


def lesson_quizzes(checker) -> list[tuple[str, list[dict]]]:
    quizzes = []
    for path in checker.load_book(REPO).lessons:
        for directive in checker.parse_page(path).directives:
            if directive.name == "quiz":
                quizzes.append((path.stem, yaml.safe_load(directive.body)))
    return quizzes


def test_the_teachers_page_gives_every_quiz_answer_in_order(checker) -> None:
    text = (BOOK / "teachers.md").read_text(encoding="utf-8")
    answers_part = text.split("## Quiz answers", 1)[1]
    sections = re.split(r"^\*\*Lesson \d+\*\*$", answers_part, flags=re.MULTILINE)[1:]
    quizzes = lesson_quizzes(checker)
    assert len(sections) == len(quizzes), "one answer list per lesson quiz"
    for (lesson, questions), section in zip(quizzes, sections):
        items = re.split(r"^\d+\. ", section.strip(), flags=re.MULTILINE)[1:]
        assert len(items) == len(questions), f"{lesson}: {len(items)} answers for " \
                                             f"{len(questions)} questions"
        for number, (question, item) in enumerate(zip(questions, items), 1):
            given = " ".join(item.split())
            if "choices" in question:
                right = str(question["choices"][question["answer"]])
            else:
                right = f"{question['number']:g}"
            assert given.startswith(right), f"{lesson} question {number}: expected " \
                                            f"{right!r}, the page says {given!r}"


def guide_option_tables() -> dict[str, set[str]]:
    """Options named in the first column of each directive's tables in the guide."""
    text = (BOOK / "authoring.md").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    chunks = re.split(r"^### `\{([\w-]+)\}`.*$", text, flags=re.MULTILINE)
    for name, body in zip(chunks[1::2], chunks[2::2]):
        body = body.split("\n## ", 1)[0]
        found[name] = set(re.findall(r"^\| `:([\w-]+):", body, flags=re.MULTILINE))
    return found


COMMON_VIEW_OPTIONS = {"controls", "predict", "predict-choices", "predict-answer", "caption"}


def test_the_guide_documents_every_option_of_every_directive(checker) -> None:
    tables = guide_option_tables()
    assert set(tables) == set(checker.DIRECTIVES), "one section per live directive"
    for name, cls in checker.DIRECTIVES.items():
        options = set(cls.converters()) - {"name"}     # :name: is described once for all
        documented = set(tables[name])
        if issubclass(cls, checker.ViewDirective):
            # the options shared by every chart widget are in the gradient-flow section
            assert COMMON_VIEW_OPTIONS <= tables["gradient-flow"]
            documented |= COMMON_VIEW_OPTIONS
        assert documented == options, f"{{{name}}}: guide {sorted(documented)}, " \
                                      f"extension {sorted(options)}"


def test_the_guide_shows_gradflows_defaults_for_every_chart_widget(checker) -> None:
    from live_widgets.build_results import view_definition
    text = (BOOK / "authoring.md").read_text(encoding="utf-8")
    chunks = re.split(r"^### `\{([\w-]+)\}`.*$", text, flags=re.MULTILINE)
    sections = dict(zip(chunks[1::2], chunks[2::2]))
    views = {name: cls.view for name, cls in checker.DIRECTIVES.items()
             if issubclass(cls, checker.ViewDirective)}
    assert views, "the extension registers no chart widget"
    for directive, view in views.items():
        for setting, default in view_definition(view).defaults.items():
            option = setting.replace("_", "-")
            row = re.search(rf"^\| `:{option}:` \|[^|]*\| ([^|]+) \|", sections[directive],
                            flags=re.MULTILINE)
            assert row, f"{{{directive}}} :{option}: has no row with a default in the guide"
            shown = row.group(1).strip().strip("`")
            expected = str(default).lower() if isinstance(default, bool) else str(default)
            assert shown == expected, f"{{{directive}}} :{option}: guide says {shown}, " \
                                      f"gradflow {expected}"


def test_the_landing_page_lists_every_lesson_in_order(checker) -> None:
    lessons = [p.relative_to(REPO).with_suffix("").as_posix()
               for p in checker.load_book(REPO).lessons]
    linked = re.findall(r"\{doc\}`\.\./(lessons/[\w-]+)`", (BOOK / "index.md").read_text())
    assert linked == lessons


@pytest.mark.parametrize("page", ["index", "glossary", "references", "teachers",
                                  "authoring", "licence", "progress"])
def test_each_book_page_passes_the_checker(checker, page: str) -> None:
    problems = checker.check_book(REPO, [BOOK / f"{page}.md"])
    assert [p.format(REPO) for p in problems] == []
