"""The set-up files agree: pyproject.toml, environment.yml, Makefile, .ci/run, README."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    requirements = [Requirement(spec) for spec in specs]
    return {canonicalize_name(r.name): str(r.specifier) for r in requirements}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    found = {}
    for entry in env["dependencies"]:
        if not isinstance(entry, str):
            continue
        requirement = Requirement(entry.replace(" ", ""))
        if requirement.name in ("python", "pip"):
            continue
        found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return found


def test_environment_yml_matches_pyproject():
    """Every dependency appears in both files with the same version range."""
    assert _conda_requirements() == _pyproject_requirements()


def test_environment_yml_installs_this_package():
    """The conda environment installs the package itself (pip -e .) from conda-forge's pip."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    pip_sections = [e["pip"] for e in env["dependencies"] if isinstance(e, dict) and "pip" in e]
    assert pip_sections == [["-e ."]]


def test_ci_runs_the_readme_test_command():
    """.ci/run calls `make test`, the command the README gives for running the tests."""
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "make test" in ci
    assert "make test" in readme and "make lab" in readme


def test_package_data_is_installed():
    """The data files the package reads are installed with it (not only present in the repo)."""
    from importlib import resources

    data = resources.files("budapest_coop").joinpath("data")
    for name in ("parties.csv", "states.yaml", "law/ets185.yaml", "rules/preservation.yaml",
                 "messages/en/preservation.yaml", "templates/preservation_request.en.md.j2"):
        assert data.joinpath(name).is_file(), name


def test_lab_config_opens_the_start_notebook_offline():
    """`make lab` serves the repo, opens 00_start_here, and fetches no news or updates."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("jupyter_lab_config.py", path=str(REPO)).load_config()
    start = config.ServerApp.default_url.removeprefix("/lab/tree/")
    assert (REPO / start).is_file()
    assert config.ServerApp.root_dir == str(REPO)
    assert config.LabApp.news_url is None
    assert (REPO / "jupyter-settings" / "overrides.json").is_file()
    assert "--config=$(CURDIR)/jupyter_lab_config.py" in (REPO / "Makefile").read_text()
