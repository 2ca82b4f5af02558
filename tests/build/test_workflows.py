"""The GitHub workflows publish with the least permissions, pin their actions, and test
every pull request with the README's test command. Only these rules are checked; the rest
of the YAML is configuration, not behaviour, and is not restated here."""

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


def run_commands(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


@pytest.fixture(scope="module")
def pages():
    return load("pages.yml")


@pytest.fixture(scope="module")
def tests_workflow():
    return load("test.yml")


def test_pages_asks_for_the_least_permissions(pages):
    assert pages["permissions"] == {}
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_requests_run_exactly_the_readme_test_command(tests_workflow):
    assert "pull_request" in tests_workflow["on"]
    assert tests_workflow["permissions"] == {"contents": "read"}
    (job,) = tests_workflow["jobs"].values()
    assert run_commands(job) == ["make test"]
    readme = (REPO / "README.md").read_text()
    assert "make test" in readme
    assert (REPO / ".ci" / "run").read_text().strip().endswith("exec make test")


@pytest.mark.parametrize("name", ["pages.yml", "test.yml"])
def test_every_action_is_pinned_to_a_major_version(name):
    for job in load(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
