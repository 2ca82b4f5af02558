"""A citation's year agrees with the year the lesson text gives the work ("In December 2015,
Kaiming He and three colleagues ... (He et al., 2015)"), and every entry follows
book/references.bib's rule: the year is the year the work first appeared, its arXiv year
when it was posted there first (the journal or conference is named in its note)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIB = REPO / "book" / "references.bib"
LESSONS = sorted((REPO / "lessons").glob("*.md"))

MONTHS = ("January February March April May June July August September October November "
          "December").split()
_MONTH = rf"(?:(?:{'|'.join(MONTHS)})\s+)?"
#: ways the lessons date a work: "In December 2015, Kaiming He ...", "Earlier in 2015",
#: "published in February 2015", "published at the end of 2025", "Eldan and Shamir (2015)",
#: and a quotation's attribution "— He, Zhang, Ren and Sun, 2015"
DATED = [
    re.compile(rf"\b(?:[Ii]n|end of)\s+{_MONTH}((?:19|20)\d\d)\b"),
    re.compile(r"\b[A-Z][\w’'-]+(?:(?: and|,) [A-Z][\w’'-]+)*\s+\(((?:19|20)\d\d)\)"),
    re.compile(r"^>\s*—[^—\n]*?,\s*((?:19|20)\d\d)\b", re.M),
]
CITATION = re.compile(r"\{cite:[pt]\}`([^`]+)`")


def bib_entries() -> dict[str, tuple[str, str]]:
    """key: (entry type, the entry's fields as written)"""
    text = BIB.read_text("utf-8")
    return {m.group(2): (m.group(1).lower(), m.group(3)) for m in
            re.finditer(r"^@(\w+)\{([^,\s]+),(.*?)^\}", text, re.S | re.M)}


def field(entry: str, name: str) -> str | None:
    match = re.search(rf"^\s*{name}\s*=\s*\{{(.*)\}},?\s*$", entry, re.M)
    return match.group(1) if match else None


def dated_citations() -> list[tuple[str, str, str, str]]:
    """(lesson, key, year the text gives, the passage) for every sentence, or paragraph,
    that cites one work and dates something in one of the DATED ways (a paragraph, for a
    bold lead-in such as "**Eldan and Shamir (2015).**" whose citation ends a later
    sentence)."""
    found = set()
    for lesson in LESSONS:
        for paragraph in re.split(r"\n\s*\n", lesson.read_text("utf-8")):
            sentences = re.split(r"(?<=[.!?])\s+(?=[-A-Z>*—])", paragraph)
            for passage in [paragraph, *sentences]:
                keys = {k.strip() for group in CITATION.findall(passage) for k in group.split(",")}
                if len(keys) != 1:
                    continue
                words = CITATION.sub("", passage)
                for pattern in DATED:
                    for year in pattern.findall(words):
                        found.add((lesson.name, next(iter(keys)), year, " ".join(passage.split())))
    return sorted(found)


@pytest.fixture(scope="module")
def rendered_years(module_book) -> dict[str, str]:
    """Each entry's year as a page shows it, "[He et al., 2015]": a small book citing every
    entry of book/references.bib with the site's citation settings (_config.yml)."""
    keys = sorted(bib_entries())
    pages = {"index": "# Citations\n\n" + "\n\n".join(f"{key}: {{cite:p}}`{key}`" for key in keys)
             + "\n\n```{bibliography}\n```\n"}
    built = module_book(pages, conf=f"""
extensions.append("sphinxcontrib.bibtex")
bibtex_bibfiles = [{str(BIB)!r}]
bibtex_reference_style = "author_year"
""")
    html = built.html("index")
    years = {}
    for key in keys:
        # "<p>key: <span ...>[<a ...>Author <em>et al.</em>, 2015</a>]</span></p>"
        line = re.search(rf"<p>{re.escape(key)}: (.*?)</p>", html, re.S)
        assert line, f"{key} is not cited on the test page"
        text = re.sub(r"<[^>]+>", "", line.group(1))
        year = re.search(r",\s*((?:19|20)\d\d)[a-z]?[\])]", text)
        assert year, f"{key} renders as {text!r}: no year"
        years[key] = year.group(1)
    return years


def test_the_lessons_date_their_sources_at_least_once():
    """The scan below finds the dated citations it is meant to check (He et al.'s ResNet
    paper in lesson 4, Adam in lesson 3, Eldan and Shamir in lesson 1)."""
    keys = {key for _, key, _, _ in dated_citations()}
    assert {"he2015resnet", "kingma2014adam", "eldan2016depth", "ioffe2015batchnorm",
            "srivastava2015highway"} <= keys, sorted(keys)


def test_each_citation_shows_the_year_its_sentence_gives(rendered_years):
    wrong = [f"{lesson}: text says {year}, citation shows {rendered_years[key]} ({key}): "
             f"{sentence[:160]}"
             for lesson, key, year, sentence in dated_citations() if rendered_years[key] != year]
    assert not wrong, "\n".join(wrong)


def test_a_paper_is_cited_by_the_year_it_appeared_on_arxiv(rendered_years):
    """arXiv identifiers since 2007 begin with the year and month (1512.03385: December
    2015); a paper published in a later year than it was posted is cited by the earlier.
    A book is cited by the edition the lessons use (Dive into Deep Learning: 2023)."""
    checked = 0
    for key, (kind, entry) in bib_entries().items():
        eprint = field(entry, "eprint")
        if kind == "book":
            continue
        if eprint and re.fullmatch(r"\d{4}\.\d{4,5}", eprint):
            assert rendered_years[key] == f"20{eprint[:2]}", (key, eprint, rendered_years[key])
            checked += 1
    assert checked >= 10
