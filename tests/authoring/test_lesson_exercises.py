"""Every lesson teaches by doing and asks for understanding (issue 15): a graded exercise
and a quiz of at least four questions in every lesson, no quiz question asked twice in
the book, and exercises whose failed checks name the likely mistake. The mistakes below
are the ones a student is likely to make; each is run through the exercise's own checks
(the code the browser runs) and must get the message written for it."""

from __future__ import annotations

import re

import pytest
import yaml

from authoring_helpers import REPO
from live_widgets.cell_runner import Kernel


def lesson_directives(checker, name: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for path in checker.load_book(REPO).lessons:
        found[path.stem] = [d for d in checker.parse_page(path).directives if d.name == name]
    return found


@pytest.fixture(scope="module")
def exercises(checker) -> dict[str, dict]:
    """exercise name -> its parsed body"""
    found = {}
    for directives in lesson_directives(checker, "exercise").values():
        for directive in directives:
            found[directive.options["name"]] = yaml.safe_load(directive.body)
    return found


def test_every_lesson_has_an_exercise_and_a_quiz_of_four_or_more(checker) -> None:
    exercises = lesson_directives(checker, "exercise")
    quizzes = lesson_directives(checker, "quiz")
    assert len(exercises) == 7, "seven lessons"
    for lesson, found in exercises.items():
        assert found, f"{lesson} has no graded exercise"
        assert quizzes[lesson], f"{lesson} has no quiz"
        for quiz in quizzes[lesson]:
            questions = yaml.safe_load(quiz.body)
            assert len(questions) >= 4, f"{lesson}: {len(questions)} quiz questions"
            assert all(q.get("hint") for q in questions), f"{lesson}: a question has no hint"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_no_quiz_question_is_asked_twice_in_the_book(checker) -> None:
    seen: dict[str, str] = {}
    for lesson, quizzes in lesson_directives(checker, "quiz").items():
        for quiz in quizzes:
            for question in yaml.safe_load(quiz.body):
                words = _words(question["question"])
                assert words not in seen, f"{lesson} repeats a question of {seen[words]}: " \
                                          f"{question['question']!r}"
                seen[words] = lesson


def attempt(exercise: dict, code: str) -> list[dict]:
    """The exercise's checks run on ``code`` in a fresh page namespace."""
    return Kernel().check({"code": code, "checks": exercise["checks"]})["checks"]


def wrong(exercise: dict, old: str, new: str) -> str:
    solution = exercise["solution"]
    assert old in solution, f"the solution no longer contains {old!r}"
    return solution.replace(old, new)


# (exercise, text of the solution, the mistake, words the feedback must contain)
MISTAKES = [
    ("ex-fold-in-three", "return 3 ** layers\n", "return 3 * layers\n", "multiplies"),
    ("ex-fold-in-three", "return 3 ** layers\n", "return 2 ** layers\n", "tent"),
    ("ex-fold-in-three", "return 3 ** layers - 1", "return 3 ** layers", "m + 1 pieces"),
    ("ex-fold-in-three", "y = zigzag(y)", "y = zigzag(x)", "only once"),
    ("ex-fold-in-three", "+ 6 * relu(x - 2 / 3)", "", "third neuron"),
    ("ex-fold-in-three", "3 * relu(x) - 6 * relu(x - 1 / 3) + 6 * relu(x - 2 / 3)",
     "2 * relu(x) - 4 * relu(x - 0.5)", "tent"),
    ("ex-sigmoid-chain", "return s * (1 - s)", "return s", "not its slope"),
    ("ex-sigmoid-chain", "total = 1\n", "total = 0\n", "start"),
    ("ex-he-scale", "return np.sqrt(2 / n)", "return np.sqrt(1 / n)", "half"),
    ("ex-he-scale", "return np.sqrt(2 / n)", "return 2 / n", "square root"),
    ("ex-he-scale", "h = relu(h @ w)", "h = h @ w", "leave out the ReLU"),
    ("ex-diagnose-depth", "if deep_train[-1] > shallow_train[-1]:",
     "if deep_test[-1] > shallow_test[-1] and deep_train[-1] < 0:", "MORE training error"),
    ("ex-diagnose-depth", "if deep_train[-1] > shallow_train[-1]:",
     "if deep_train[0] > shallow_train[0]:", "where training ends"),
    ("ex-residual-block", "return branch + x", "return branch", "shortcut"),
    ("ex-residual-block", "return g + dx_branch", "return dx_branch", "+1"),
    ("ex-count-paths", "counts[sum(path)] += 1", "counts[len(path)] += 1", "sum(path)"),
    ("ex-count-paths", "range(low, high + 1)", "range(low, high)", "range(low, high + 1)"),
    ("ex-count-paths", "/ 2 ** n", "/ 2 ** n * 100", "percentage"),
    ("ex-sinkhorn-step", "m = m / m.sum(axis=0, keepdims=True)   # then columns: these are exact after the step",
     "m = m / m.sum(axis=0, keepdims=True)\n    m = m / m.sum(axis=1, keepdims=True)",
     "column sums last"),
    ("ex-sinkhorn-step", "m = m / m.sum(axis=1, keepdims=True)   # rows first",
     "m = m / m.sum(axis=1)", "keepdims=True"),
    ("ex-sinkhorn-step", "np.all(m >= 0)\n                and ", "", "negative"),
]


@pytest.mark.parametrize("name, old, new, words", MISTAKES,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_a_likely_mistake_gets_feedback_that_names_it(exercises, name, old, new, words):
    results = attempt(exercises[name], wrong(exercises[name], old, new))
    failed = [r for r in results if not r["passed"]]
    assert failed, f"{name}: the mistake {new!r} passes every check"
    assert any(words in r["message"] for r in failed), \
        f"{name}: no failed check mentions {words!r}: {[r['message'] for r in failed]}"


def test_every_solution_passes_in_a_fresh_namespace(exercises) -> None:
    # the build runs solutions after the page's cells; a reader may run the exercise first
    for name, exercise in exercises.items():
        results = attempt(exercise, exercise["solution"])
        assert all(r["passed"] for r in results), f"{name}: {results}"
