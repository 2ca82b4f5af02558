"""The GitHub workflows publish with the least permissions and test every pull request
with the README's test command. GitHub itself cannot run here, so their structure is
checked, and the commands they run are the make targets the rest of the suite exercises."""

import re

import pytest
import yaml

from build_test_paths import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as the boolean True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def run_commands(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def pages():
    return load("pages.yml")


@pytest.fixture(scope="module")
def tests_workflow():
    return load("test.yml")


def test_pages_deploys_on_push_to_main_one_at_a_time(pages):
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["concurrency"]["group"] == "pages"
    # A deployment in progress is never cancelled half-way.
    assert pages["concurrency"]["cancel-in-progress"] is False


def test_pages_asks_for_the_least_permissions(pages):
    assert pages["permissions"] == {}
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_pages_builds_the_book_uploads_it_then_deploys(pages):
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    commands = run_commands(build)
    assert commands == ["make book"]
    assert "book" in make_targets()
    upload = steps_using(build, "actions/upload-pages-artifact")
    assert len(upload) == 1 and upload[0]["with"]["path"] == "_build/html"
    # The upload comes after the build.
    assert build["steps"].index(upload[0]) == len(build["steps"]) - 1
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert len(steps_using(deploy, "actions/deploy-pages")) == 1


def test_pages_caches_pip_and_the_verified_downloads(pages):
    build = pages["jobs"]["build"]
    (python,) = steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert str(python["with"]["python-version"]) == "3.12"
    (cache,) = steps_using(build, "actions/cache")
    assert cache["with"]["path"].strip() == ".cache"
    assert "build/runtime_pins.py" in cache["with"]["key"]


def test_pull_requests_run_exactly_the_readme_test_command(tests_workflow):
    assert "pull_request" in tests_workflow["on"]
    assert tests_workflow["permissions"] == {"contents": "read"}
    (job,) = tests_workflow["jobs"].values()
    assert run_commands(job) == ["make test"]
    assert job["timeout-minutes"] <= 90
    (cache,) = steps_using(job, "actions/cache")
    cached = cache["with"]["path"].split()
    assert "~/.cache/pip" in cached and ".cache" in cached
    readme = (REPO / "README.md").read_text()
    assert "make test" in readme
    assert (REPO / ".ci" / "run").read_text().strip().endswith("exec make test")


@pytest.mark.parametrize("name", ["pages.yml", "test.yml"])
def test_every_action_is_pinned_to_a_major_version(name):
    for job in load(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
