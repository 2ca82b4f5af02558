"""Check the lessons of the book before (and without) a full build.

Run from anywhere:

    .venv/bin/python build/check_lessons.py            # every page listed in _toc.yml
    .venv/bin/python build/check_lessons.py lessons/03-crisis-before-2015.md

Every lesson listed in ``_toc.yml`` (files under ``lessons/``) must have

- a ``(label)=`` target directly above its one H1 title;
- the sections ``## Learning objectives``, ``## Check your understanding`` (holding a
  ``{quiz}`` of at least three questions), ``## Key takeaways`` and ``## References``;
- at least one live element: a visible ``{live-code}`` cell, a widget or an exercise.

On every page of the book (lessons and book pages alike):

- every directive and role is one the build knows (the book's Sphinx extensions, as
  configured in ``_config.yml``), so a misspelt ``{quizz}`` is reported;
- each ``live_widgets`` directive is valid: MyST parses it against the directive's own
  option spec, then the directive's own ``parse`` (the extension's whole validation,
  shared with the build) checks its options and body; none of its rules is copied here;
- each ``{live-code}`` cell runs in CPython with the build's kernel
  (``python -m live_widgets.page_runner``: one fresh process per page, cells in the build's
  run order), each exercise's solution passes its checks (and its starter does not), and
  each ``{computed}`` expression evaluates;
- each internal link, ``{ref}``/``{numref}``/``{doc}`` target, ``{term}`` and ``{cite}``
  key resolves (against the labels of the book, ``book/glossary.md`` and
  ``book/references.bib``); share links ``page.html#widget?setting=value`` must name a
  widget of that page and valid settings.

Each problem is printed as ``path:line: message``; the exit status is 1 if there was any.
Tests import this file by path (``build/`` is not a package: it would shadow PyPA's
``build``).
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The book's own extension, imported once here (not inside functions that would depend on
# an earlier call having set sys.path): the checker validates with its code.
if str(ROOT / "widgets") not in sys.path:
    sys.path.insert(0, str(ROOT / "widgets"))

from live_widgets.build_results import is_trainer  # noqa: E402
from live_widgets.extension import DIRECTIVES  # noqa: E402
from live_widgets.page_execution import raises_problem, run_order  # noqa: E402
from live_widgets.view_widget import ViewDirective  # noqa: E402
from live_widgets.widget_base import WidgetError  # noqa: E402

REQUIRED_SECTIONS = ("Learning objectives", "Check your understanding", "Key takeaways",
                     "References")
QUIZ_SECTION = "Check your understanding"
MIN_QUIZ_QUESTIONS = 3

# Directives whose body is code or data, not Markdown: their text is never scanned for
# links, roles or prose. The live directives' bodies are all code or YAML (an exercise's
# task is Markdown, read on its own by _scan_exercise_task).
LITERAL_DIRECTIVES = {"code", "code-block", "code-cell", "sourcecode", "literalinclude",
                      "math", "raw", "glossary", "bibliography", "toctree",
                      "csv-table"} | set(DIRECTIVES)
CELL_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def format(self, root: Path = ROOT) -> str:
        """``path:line: message`` with the path relative to the book's root."""
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


# --------------------------------------------------------------------------- parsing


@dataclass
class Directive:
    """One ``{name}`` block: fenced with backticks or colons."""
    name: str
    argument: str
    options: dict[str, str]
    body: str
    line: int            # 1-based line of the opening fence
    body_line: int       # 1-based line of the body's first line
    raw_content: str     # everything after the opening line, options included
    section: str | None  # text of the enclosing H2, if any


@dataclass
class Role:
    name: str
    text: str
    line: int


@dataclass
class Link:
    href: str
    line: int


@dataclass
class Page:
    path: Path
    tokens: list = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)   # label -> line
    headings: list[tuple[int, str, int]] = field(default_factory=list)  # (level, text, line)


def myst_extensions(root: Path = ROOT) -> frozenset[str]:
    """The MyST syntax extensions the book's ``_config.yml`` enables, so the checker reads
    the pages with the syntax the build reads them with."""
    config = Path(root) / "_config.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else None
    return frozenset(((data or {}).get("parse") or {}).get("myst_enable_extensions") or ())


def markdown_parser(root: Path = ROOT):
    """The markdown-it parser MyST itself uses, with the book's extensions."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser
    return create_md_parser(MdParserConfig(enable_extensions=set(myst_extensions(root))),
                            RendererHTML)


def split_options(content: str) -> tuple[dict[str, str], str, int]:
    """Split a directive's content into its ``:key: value`` (or ``---`` YAML) options, the
    body, and the number of lines before the body (as MyST does)."""
    lines = content.splitlines()
    options: dict[str, str] = {}
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].startswith("---")), len(lines))
        loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
        options = {str(k): "" if v is None else str(v) for k, v in loaded.items()} \
            if isinstance(loaded, dict) else {}
        i = end + 1
    else:
        while i < len(lines) and lines[i].lstrip().startswith(":"):
            match = re.match(r"\s*:([^:\s][^:]*):\s?(.*)$", lines[i])
            if match:
                options[match.group(1).strip()] = match.group(2).strip()
            i += 1
    if i < len(lines) and not lines[i].strip():
        i += 1
    return options, "\n".join(lines[i:]), i


def parse_page(path: Path, text: str | None = None, *, line_offset: int = 0,
               page: Page | None = None, section: str | None = None, md=None) -> Page:
    """Collect a page's directives, roles, links, labels and headings with 1-based lines.
    Markdown inside non-literal directives (admonitions, dropdowns, figures) is parsed too,
    with its lines counted from the start of the file."""
    md = md or markdown_parser()
    if text is None:
        text = path.read_text(encoding="utf-8")
    page = page or Page(path)
    tokens = md.parse(text)
    if line_offset == 0:
        page.tokens = tokens
    for index, token in enumerate(tokens):
        start = (token.map[0] if token.map else 0) + line_offset + 1
        if token.type == "heading_open":
            title = tokens[index + 1].content.strip()
            level = int(token.tag[1])
            page.headings.append((level, title, start))
            if level == 2:
                section = title
        elif token.type == "myst_target":
            page.labels.setdefault(token.content.strip(), start)
        elif token.type in ("fence", "colon_fence"):
            match = re.match(r"\{([^}\s]+)\}\s*(.*)$", token.info.strip())
            if not match:
                continue      # a plain code block
            name, argument = match.group(1), match.group(2)
            options, body, skipped = split_options(token.content)
            directive = Directive(name, argument, options, body, start, start + 1 + skipped,
                                  token.content, section)
            page.directives.append(directive)
            if "name" in options:
                page.labels.setdefault(options["name"], start)
            if name not in LITERAL_DIRECTIVES and body.strip():
                parse_page(path, body, line_offset=directive.body_line - 1, page=page,
                           section=section, md=md)
            if name == "exercise":
                _scan_exercise_task(page, directive, md)
        elif token.type == "inline":
            _scan_inline(page, token, start)
        elif token.type == "html_block":
            _scan_html(page, token.content, start)
    return page


def _scan_inline(page: Page, token, line: int) -> None:
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "myst_role":
            page.roles.append(Role(child.meta["name"], child.content, line))
        elif child.type == "link_open":
            page.links.append(Link(child.attrs.get("href", ""), line))
        elif child.type == "html_inline":
            _scan_html(page, child.content, line)
        elif child.type == "text":
            line += child.content.count("\n")


HTML_HREF = re.compile(r"""<a\s[^>]*?href=["']([^"']*)["']""", re.IGNORECASE)


def _scan_html(page: Page, html: str, line: int) -> None:
    """Raw ``<a href>`` links: MyST would treat a Markdown link to a built file (a share
    link to ``page.html#widget?...``, or ``_static/...``) as a missing cross-reference."""
    for match in HTML_HREF.finditer(html):
        page.links.append(Link(unescape(match.group(1)),
                               line + html.count("\n", 0, match.start())))


def _scan_exercise_task(page: Page, directive: Directive, md) -> None:
    """An exercise's ``task:`` is Markdown shown to the reader: check its roles and links."""
    try:
        data = yaml.safe_load(directive.body) or {}
    except yaml.YAMLError:
        return      # reported by check_exercise
    task = data.get("task") if isinstance(data, dict) else None
    if isinstance(task, str):
        offset = next((i for i, text in enumerate(directive.body.splitlines())
                       if text.startswith("task:")), 0)
        parse_page(page.path, task, line_offset=directive.body_line + offset, page=page,
                   section=directive.section, md=md)


# --------------------------------------------------------------------------- the book


@dataclass
class Book:
    root: Path
    pages: list[Path]            # every file of _toc.yml, in order
    lessons: list[Path]          # those under lessons/
    glossary_terms: set[str]     # lower-cased, as Sphinx compares them
    citation_keys: set[str]


def toc_files(root: Path) -> list[Path]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk({k: v for k, v in toc.items() if k != "root"})
    return [root / (name if name.endswith(".md") else name + ".md") for name in found]


def glossary_terms(path: Path) -> set[str]:
    terms: set[str] = set()
    for directive in parse_page(path).directives:
        if directive.name == "glossary":
            for text in directive.body.splitlines():
                if text.strip() and not text[0].isspace() and not text.startswith(":"):
                    terms.add(text.strip().lower())
    return terms


def citation_keys(path: Path) -> set[str]:
    from pybtex.database import parse_file
    return set(parse_file(str(path)).entries)


def load_book(root: Path) -> Book:
    root = Path(root).resolve()
    pages = toc_files(root)
    lessons = [p for p in pages if p.relative_to(root).parts[0] == "lessons"]
    return Book(root, pages, lessons,
                glossary_terms(root / "book" / "glossary.md"),
                citation_keys(root / "book" / "references.bib"))


# ---------------------------------------------------------- what the build knows


@dataclass(frozen=True)
class KnownNames:
    """Every directive and role name the book's build accepts."""
    directives: frozenset[str]
    roles: frozenset[str]


def known_names(root: Path) -> KnownNames:
    """The directives and roles of a Sphinx set up exactly as Jupyter Book sets it up from
    the book's ``_config.yml`` (its extensions, domains and MyST), so the checker accepts
    precisely what the build accepts."""
    config = Path(root) / "_config.yml"
    return _known_names(config.read_text(encoding="utf-8") if config.is_file() else "",
                        str(Path(root).resolve()))


@lru_cache(maxsize=4)
def _known_names(config_text: str, root: str) -> KnownNames:
    # Starting Sphinx costs seconds, so the names are kept per configuration text (they
    # depend on the configured extensions, not on the pages). It starts in a child process:
    # setting up Jupyter Book's extensions changes Sphinx's and docutils' process-wide
    # registries (a later Sphinx in the same process then asked for the myst-nb parser it
    # had not loaded), and a checker must leave its caller's process as it found it.
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import check_lessons; "
            "names = check_lessons._known_names_here(sys.argv[2], sys.argv[3]); "
            "print(json.dumps([sorted(names.directives), sorted(names.roles)]))")
    completed = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).resolve().parent), config_text, root],
        capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError("check_lessons: could not start Sphinx with the book's "
                           f"configuration:\n{completed.stderr.strip()}")
    directive_names, role_names = json.loads(completed.stdout.strip().splitlines()[-1])
    return KnownNames(frozenset(directive_names), frozenset(role_names))


def _known_names_here(config_text: str, root: str) -> KnownNames:
    """_known_names' work, in this process (the child that _known_names starts)."""
    from docutils.parsers.rst import directives, roles
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    user_yaml = yaml.safe_load(config_text) if config_text else None
    config, _ = get_final_config(user_yaml=user_yaml or None, sourcedir=Path(root),
                                 cli_config={"latex_individualpages": False})
    config.pop("recursive_update", None)
    with tempfile.TemporaryDirectory() as scratch, docutils_namespace():
        app = Sphinx(root, None, f"{scratch}/out", f"{scratch}/doctrees", "dummy",
                     confoverrides=config, status=None, warning=io.StringIO(),
                     freshenv=True)
        directive_names = set(directives._directives) | set(directives._directive_registry)
        role_names = set(roles._roles) | set(roles._role_registry)
        primary = {"std", app.config.primary_domain}
        for domain in app.env.domains.values():
            directive_names |= {f"{domain.name}:{name}" for name in domain.directives}
            role_names |= {f"{domain.name}:{name}" for name in domain.roles}
            if domain.name in primary:
                directive_names |= set(domain.directives)
                role_names |= set(domain.roles)
    directive_names.add("eval-rst")      # MyST handles it itself, before any lookup
    return KnownNames(frozenset(directive_names), frozenset(role_names))


# --------------------------------------------------------------------------- checks


def check_structure(page: Page) -> list[Problem]:
    """The parts every lesson has (see the module docstring and book/authoring.md)."""
    problems: list[Problem] = []
    path = page.path
    blocks = [t for t in page.tokens if t.type not in ("front_matter",) and t.map]
    h1s = [(title, line) for level, title, line in page.headings if level == 1]
    if not (len(blocks) >= 2 and blocks[0].type == "myst_target"
            and blocks[1].type == "heading_open" and blocks[1].tag == "h1"):
        problems.append(Problem(path, 1, "a lesson starts with a (label)= target directly "
                                         "followed by its '# Title'"))
    if len(h1s) != 1:
        problems.append(Problem(path, h1s[1][1] if len(h1s) > 1 else 1,
                                f"a lesson has exactly one H1 title (found {len(h1s)})"))
    h2s = {title: line for level, title, line in page.headings if level == 2}
    for wanted in REQUIRED_SECTIONS:
        if wanted not in h2s:
            problems.append(Problem(path, 1, f"missing the section '## {wanted}'"))
    quizzes = [d for d in page.directives if d.name == "quiz" and d.section == QUIZ_SECTION]
    if QUIZ_SECTION in h2s:
        if not quizzes:
            problems.append(Problem(path, h2s[QUIZ_SECTION],
                                    f"'## {QUIZ_SECTION}' holds no {{quiz}}"))
        elif max(_count_questions(d) for d in quizzes) < MIN_QUIZ_QUESTIONS:
            problems.append(Problem(path, quizzes[0].line,
                                    f"the quiz has fewer than {MIN_QUIZ_QUESTIONS} questions"))
    live = [d for d in page.directives if d.name in DIRECTIVES and d.name != "quiz"
            and not (d.name == "live-code" and "hidden" in d.options)]
    if not live:
        problems.append(Problem(path, 1, "no live element: add a visible {live-code} cell, "
                                         "a widget or an {exercise}"))
    return problems


def check_directives(page: Page, known: KnownNames) -> list[Problem]:
    """Each directive and role is known to the build; each live_widgets directive passes
    MyST's parse against its option spec and then the directive's own ``parse``."""
    from docutils.parsers.rst.states import MarkupError
    from myst_parser.parsers.directives import parse_directive_text
    problems: list[Problem] = []

    for d in page.directives:
        if d.name not in known.directives:
            problems.append(Problem(page.path, d.line, f"unknown directive {{{d.name}}}"
                                    + _did_you_mean(d.name, known.directives)))
            continue
        cls = DIRECTIVES.get(d.name)
        if cls is None:
            continue
        try:
            result = parse_directive_text(cls, d.argument, d.raw_content, line=d.line)
        except MarkupError as error:
            problems.append(Problem(page.path, d.line, f"{{{d.name}}}: {error}"))
            continue
        for warning in result.warnings:
            problems.append(Problem(page.path, d.line, f"{{{d.name}}}: {warning.msg}"))
        try:
            cls.parse(result.arguments, result.options, result.body)
        except WidgetError as error:
            line = _item_line(d, error.question) if error.question else d.line
            problems.append(Problem(page.path, line, f"{{{d.name}}}: {error}"))
    for role in page.roles:
        if role.name not in known.roles:
            problems.append(Problem(page.path, role.line, f"unknown role {{{role.name}}}"
                                    + _did_you_mean(role.name, known.roles)))
    return problems


def _did_you_mean(name: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {{{close[0]}}}?)" if close else ""


def _count_questions(directive: Directive) -> int:
    try:
        data = yaml.safe_load(directive.body)
    except yaml.YAMLError:
        return 0
    return len(data) if isinstance(data, list) else 0


def _item_line(d: Directive, number: int) -> int:
    starts = [i for i, text in enumerate(d.body.splitlines()) if text.startswith("- ")]
    return d.body_line + (starts[number - 1] if number <= len(starts) else 0)


def _exercise_data(d: Directive) -> dict | None:
    try:
        data = yaml.safe_load(d.body)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


# ------------------------------------------------------------------ running the code


def check_code(page: Page, root: Path) -> list[Problem]:
    """Run the page's cells, exercise checks and computed roles in one fresh CPython
    process (one namespace per page, as in the browser's worker and the build)."""
    cells = [d for d in page.directives if d.name == "live-code"]
    ordered = run_order(cells, lambda d: "hidden" in d.options)
    jobs: list[tuple[dict, str, int, object]] = []
    # the build's cell index counts every live_code_cell: each exercise holds one too
    cell_nodes = [d for d in page.directives if d.name in ("live-code", "exercise")]
    for d in ordered:
        # named as the build and the browser name it (cell_runner.cell_filename)
        cell_id = d.options.get("name", "").strip() or f"cell-{cell_nodes.index(d)}"
        jobs.append(({"type": "cell", "code": d.body, "cellId": cell_id}, "cell", d.line, d))
    for d in page.directives:
        data = _exercise_data(d) if d.name == "exercise" else None
        if data and isinstance(data.get("checks"), list) and data.get("solution"):
            checks = [{"name": c.get("name", ""), "code": c.get("code", "")}
                      for c in data["checks"] if isinstance(c, dict)]
            jobs.append(({"type": "check", "code": data["solution"], "checks": checks},
                         "solution", d.line, d))
            if data.get("starter"):
                jobs.append(({"type": "check", "code": data["starter"], "checks": checks},
                             "starter", d.line, d))
    for role in page.roles:
        if role.name == "computed":
            jobs.append(({"type": "computed", "code": role.text}, "computed", role.line, role))
    for d in page.directives:
        cls = DIRECTIVES.get(d.name)
        if cls is not None and issubclass(cls, ViewDirective):
            # settings valid one by one can still be beyond what gradflow will compute
            # (a stack too large for a browser tab): the build computes, so the checker does
            settings = _view_settings(cls, d)
            if settings is not None:
                jobs.append(({"type": "view", "view": cls.view, "settings": settings},
                             "view", d.line, d))
    if not jobs:
        return []
    try:
        completed = subprocess.run(
            # a fresh process per page (live_widgets.page_runner), so nothing leaks
            [sys.executable, "-m", "live_widgets.page_runner"],
            input=json.dumps([job[0] for job in jobs]),
            capture_output=True, text=True, timeout=CELL_TIMEOUT_SECONDS, cwd=root,
            env={"PYTHONPATH": str(root / "widgets"), "PATH": os.environ.get("PATH", ""),
                 "HOME": os.environ.get("HOME", "/tmp")})
    except subprocess.TimeoutExpired:
        return [Problem(page.path, jobs[0][2],
                        f"the page's code did not finish within {CELL_TIMEOUT_SECONDS} s")]
    if completed.returncode != 0:
        return [Problem(page.path, jobs[0][2],
                        f"could not run the page's code: {_last_line(completed.stderr)}")]
    replies = json.loads(completed.stdout)
    problems = []
    for (request, kind, line, source), reply in zip(jobs, replies):
        message = _code_problem(kind, source, reply)
        if message:
            problems.append(Problem(page.path, line, message))
    return problems


def _view_settings(cls, d: Directive) -> dict | None:
    """The directive's settings as the build parses them; None if they are invalid (then
    check_directives reports why)."""
    from docutils.parsers.rst.states import MarkupError
    from myst_parser.parsers.directives import parse_directive_text
    try:
        result = parse_directive_text(cls, d.argument, d.raw_content, line=d.line)
        return cls.parse(result.arguments, result.options, result.body)["settings"]
    except (MarkupError, WidgetError):
        return None


def _code_problem(kind: str, source, reply: dict) -> str | None:
    error = (reply.get("error") or "").strip()
    if kind == "view":
        return f"{{{source.name}}}: gradflow could not compute this view: {error}" \
            if error else None
    if kind == "cell":
        problem = raises_problem(source.options.get("raises", "").strip(), reply.get("raised"))
        if problem and error:
            return f"{{live-code}}: {problem} in CPython: {_last_line(error)}"
        return f"{{live-code}}: {problem}" if problem else None
    if kind == "computed":
        return f"{{computed}}`{source.text}` fails: {error}" if error else None
    if kind == "solution" and not reply.get("passed"):
        failed = [f"{c.get('name')!r}: {c.get('message')}" for c in reply.get("checks", [])
                  if not c.get("passed")]
        detail = "; ".join(failed) if failed else _last_line(error)
        if error and failed:
            detail = _last_line(error)
        return f"{{exercise}}: the solution does not pass its own checks: {detail}"
    if kind == "starter" and reply.get("passed"):
        return "{exercise}: the starter code already passes every check"
    return None


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else text


# --------------------------------------------------------------------------- references


ROLE_WITH_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def _role_target(text: str) -> str:
    match = ROLE_WITH_TARGET.match(text.strip())
    return (match.group("target") if match else text).strip()


def check_references(page: Page, book: Book, labels: dict[str, Path],
                     widgets: dict[Path, dict[str, Directive]]) -> list[Problem]:
    problems = []
    for role in page.roles:
        if role.name == "term":
            term = _role_target(role.text)
            if term.lower() not in book.glossary_terms:
                problems.append(Problem(page.path, role.line,
                                        f"{{term}}: '{term}' is not in book/glossary.md"))
        elif role.name.startswith("cite"):
            for key in (k.strip() for k in role.text.split(",")):
                if key not in book.citation_keys:
                    problems.append(Problem(page.path, role.line, f"{{{role.name}}}: "
                                            f"'{key}' is not a key of book/references.bib"))
        elif role.name in ("ref", "numref"):
            label = _role_target(role.text)
            if label.lower() not in labels:
                problems.append(Problem(page.path, role.line,
                                        f"{{{role.name}}}: no label '{label}' in the book"))
        elif role.name == "doc":
            target = _role_target(role.text)
            base = book.root if target.startswith("/") else page.path.parent
            resolved = (base / (target.lstrip("/") + ".md")).resolve()
            if resolved not in book.pages:
                problems.append(Problem(page.path, role.line,
                                        f"{{doc}}: '{target}' is not a page of _toc.yml"))
    for link in page.links:
        message = _link_problem(link.href, page, book, labels, widgets)
        if message:
            problems.append(Problem(page.path, link.line, message))
    return problems


def _link_problem(href: str, page: Page, book: Book, labels: dict[str, Path],
                  widgets: dict[Path, dict[str, Directive]]) -> str | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
        return None                     # external (https:, mailto:): not ours to resolve
    target, _, fragment = href.partition("#")
    if not target:
        return None if fragment.lower() in labels else f"link '#{fragment}': no such label"
    resolved = (page.path.parent / target).resolve()
    static = book.root / "_static"
    if resolved.is_relative_to(static):
        # _static/ exists only in the built site: the build copies the assembled runtime
        # (_build/site-assets) there. Check it when the assets have been assembled.
        assets = book.root / "_build" / "site-assets"
        built = assets / resolved.relative_to(static)
        if assets.is_dir() and not built.exists():
            return f"link '{href}': no {built.relative_to(book.root)} in the assembled assets"
        return None
    if target.endswith(".html"):
        source = resolved.with_suffix(".md")
        if source not in book.pages:
            return f"link '{href}': no page {os.path.relpath(source, book.root)} in _toc.yml"
        name, _, query = fragment.partition("?")
        if query:
            widget = widgets.get(source, {}).get(name)
            cls = DIRECTIVES.get(widget.name) if widget else None
            if cls is None or not issubclass(cls, ViewDirective):
                return f"share link '{href}': no chart widget '{name}' on that page"
            if is_trainer(cls.view):
                # live-widgets.js restores settings from links for views only (§5)
                return f"share link '{href}': a training race cannot be opened by a link"
            # A share link overrides the widget's own options, setting by setting.
            options = dict(widget.options)
            for setting, value in parse_qsl(query, keep_blank_values=True):
                if setting == "predict":
                    # a link opens past the prompt; predict=ask keeps it (share-link.mjs)
                    if value != "ask":
                        return (f"share link '{href}': predict={value} means nothing; "
                                "predict=ask keeps the widget's predict question")
                    continue
                # Links use setting names (batch_norm), as the controls' name= does.
                option = setting.replace("_", "-")
                if "-" in setting or option in cls.common_options \
                        or option not in cls.converters():
                    return (f"share link '{href}': '{setting}' is not a setting of "
                            f"{{{widget.name}}} (links use setting names such as batch_norm)")
                options[option] = value
            try:
                cls.parse([], options, [])
            except WidgetError as error:
                return f"share link '{href}': {error}"
        elif name and name.lower() not in labels and not _is_heading_id(source, name):
            return f"link '{href}': no label or widget '{name}'"
        return None
    if target.endswith(".md"):
        if resolved not in book.pages:
            return f"link '{href}': not a page of _toc.yml"
        return None
    if not resolved.exists():
        return f"link '{href}': no such file"
    return None


def _is_heading_id(source: Path, name: str) -> bool:
    """Sphinx gives each section an id made from its title."""
    page = parse_page(source)
    return any(re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") == name
               for _, title, _ in page.headings)


def check_headings(page: Page) -> list[Problem]:
    """Heading levels go down one at a time, as MyST requires (it warns otherwise, and
    the build treats warnings as errors); the same rule as MyST's section nesting."""
    problems = []
    open_levels = {0}
    for token in page.tokens:
        if token.type != "heading_open" or not token.map:
            continue
        level = int(token.tag[1])
        parent = max(open_level for open_level in open_levels if open_level < level)
        if parent + 1 != level:
            message = (f"the page's headings start at H{level}, not H1" if parent == 0 else
                       f"heading level jumps from H{parent} to H{level}: "
                       f"use {'#' * (parent + 1)} here")
            problems.append(Problem(page.path, token.map[0] + 1, message))
        open_levels = {kept for kept in open_levels if kept < level} | {level}
    return problems


def check_images(page: Page) -> list[Problem]:
    """Every figure and image names an existing file and has alt text, the text alternative
    that screen readers announce (``:alt:`` on ``{figure}``/``{image}``)."""
    problems = []
    for d in page.directives:
        if d.name not in ("figure", "image"):
            continue
        if not d.argument.strip():
            problems.append(Problem(page.path, d.line, f"{{{d.name}}} names no file"))
        elif not re.match(r"^[a-z][a-z0-9+.-]*:", d.argument, re.IGNORECASE) \
                and not (page.path.parent / d.argument.strip()).is_file():
            problems.append(Problem(page.path, d.line,
                                    f"{{{d.name}}}: no such file '{d.argument.strip()}'"))
        if not d.options.get("alt", "").strip():
            problems.append(Problem(page.path, d.line, f"{{{d.name}}} has no :alt: text "
                                    "(what a reader who cannot see it should know)"))
    return problems


# --------------------------------------------------------------------------- driver


def check_book(root: Path = ROOT, only: list[Path] | None = None, *,
               run_code: bool = True) -> list[Problem]:
    root = Path(root).resolve()
    book = load_book(root)
    known = known_names(root)
    md = markdown_parser(root)
    pages = {path: parse_page(path, md=md) for path in book.pages if path.exists()}
    problems = [Problem(root / "_toc.yml", 1, f"lists {p.relative_to(root)}, which does "
                        "not exist") for p in book.pages if not p.exists()]
    labels: dict[str, Path] = {}
    for path, page in pages.items():
        for label, line in page.labels.items():
            if label.lower() in labels and labels[label.lower()] != path:
                problems.append(Problem(path, line, f"label '{label}' is also defined in "
                                        f"{labels[label.lower()].relative_to(root)}"))
            labels.setdefault(label.lower(), path)
    widgets = {path: {d.options["name"]: d for d in page.directives if "name" in d.options}
               for path, page in pages.items()}
    wanted = [p.resolve() for p in only] if only else list(pages)
    for path in wanted:
        if path not in pages:
            problems.append(Problem(path, 1, "not listed in _toc.yml (or missing)"))
            continue
        page = pages[path]
        if path in book.lessons:
            problems += check_structure(page)
        problems += check_directives(page, known)
        problems += check_references(page, book, labels, widgets)
        problems += check_headings(page)
        problems += check_images(page)
        if run_code:
            problems += check_code(page, root)
    return sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="pages to check (default: every page of _toc.yml)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's root folder")
    parser.add_argument("--no-run", action="store_true",
                        help="skip running code cells, exercises and computed numbers")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    only = [(f if f.is_absolute() else Path.cwd() / f) for f in args.files] or None
    problems = check_book(root, only, run_code=not args.no_run)
    for problem in problems:
        print(problem.format(root))
    checked = len(only) if only else len(toc_files(root))
    sys.stdout.flush()
    print(f"{len(problems)} problem(s) in {checked} page(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
