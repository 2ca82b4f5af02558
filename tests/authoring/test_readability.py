"""build/readability.py scores only the core track: prose in, code, maths, widgets,
quizzes and deep dives out; and it prints one row per lesson."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from authoring_helpers import REPO

PAGE = """\
(lesson-x)=
# Title words

Plain words first. A {term}`gradient <gradient>` shrinks {cite:p}`he2015resnet`.
The slope is $\\sigma'(z)$ at most.

- A list item without a full stop

```{note}
A visible note counts.
```

```{admonition} Deep dive: hidden
:class: dropdown

Dropdown words never count.
```

```{live-code}
codewords = 1
```

$$
mathwords
$$

| tablewords |
|---|
| cell |

:::{quiz}
- question: Quizwords?
  choices: ["a", "b"]
  answer: 0
  explain: Explainwords.
:::
"""


def test_core_prose_keeps_the_core_track_only(readability) -> None:
    prose = readability.core_prose(PAGE)
    assert "Plain words first." in prose
    assert "A gradient shrinks." in prose                 # term text kept, citation dropped
    assert "The slope is at most." in prose              # inline maths dropped, tidied
    assert "A list item without a full stop." in prose   # ends a sentence for the scores
    assert "A visible note counts." in prose
    for left_out in ("Title", "Dropdown", "codewords", "mathwords", "tablewords",
                     "Quizwords", "Explainwords", "sigma", "he2015resnet"):
        assert left_out not in prose, left_out


def test_scores_are_higher_grade_for_harder_text(readability, tmp_path: Path) -> None:
    easy = tmp_path / "easy.md"
    hard = tmp_path / "hard.md"
    easy.write_text("# E\n\nThe cat sat. The dog ran. We like it. It is fun.\n")
    hard.write_text("# H\n\nConsiderable computational difficulties notwithstanding, "
                    "hierarchical representations facilitate generalisation across "
                    "heterogeneous distributions of observations.\n")
    easy_score, hard_score = readability.score(easy), readability.score(hard)
    assert easy_score.grade < hard_score.grade
    assert easy_score.ease > hard_score.ease
    assert easy_score.sentences == 4 and easy_score.words == 12


def test_run_as_a_file_it_prints_a_row_per_lesson() -> None:
    completed = subprocess.run([sys.executable, str(REPO / "build" / "readability.py")],
                               capture_output=True, text=True, timeout=300, cwd=REPO)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].split() == ["lesson", "words", "sentences", "FK", "grade", "ease"]
    lessons = sorted(p.stem for p in (REPO / "lessons").glob("*.md"))
    assert [line.split()[0] for line in lines[2:]] == lessons


def test_max_grade_makes_it_fail() -> None:
    completed = subprocess.run([sys.executable, str(REPO / "build" / "readability.py"),
                                "--max-grade", "0"],
                               capture_output=True, text=True, timeout=300, cwd=REPO)
    assert completed.returncode == 1
    assert "is above 0" in completed.stderr
