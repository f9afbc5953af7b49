"""The course repository as an nbgrader course: regenerate exercises, prove they leak nothing.

``solutions/<assignment>/`` are the instructor masters (nbgrader source);
``exercises/<assignment>/`` the trainee versions that nbgrader generates from them.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOLUTIONS = "solutions"
EXERCISES = "exercises"
_REGION = re.compile(
    r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL
)
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# Lines too generic to count as a leak when they reappear (closing brackets, blank lines).
_MIN_LEAK_LENGTH = 12


class CourseError(RuntimeError):
    """A course-level operation failed; the message says what and where."""


def course_root(start: Path | str | None = None) -> Path:
    """The folder holding ``nbgrader_config.py`` and ``solutions/`` (the current one or a parent)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / SOLUTIONS).is_dir():
            return folder
    raise CourseError(f"no course found at or above {here}: expected nbgrader_config.py and {SOLUTIONS}/")


def assignments(root: Path | str | None = None) -> list[str]:
    """Assignment ids: the folders of ``solutions/`` that hold a notebook."""
    base = course_root(root) / SOLUTIONS
    return sorted(p.name for p in base.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def generate(root: Path, assignment: str, out_root: Path | None = None) -> None:
    """Run ``nbgrader generate_assignment`` for one assignment (into ``out_root``/exercises if given)."""
    command = [
        sys.executable, "-m", "nbgrader", "generate_assignment", assignment,
        "--no-db", "--force", "--log-level=WARN",
    ]
    if out_root is not None:
        command.append(f"--CourseDirectory.release_directory={out_root / EXERCISES}")
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CourseError(f"nbgrader could not generate '{assignment}':\n{done.stderr.strip()}")


def regenerate(root: Path | str | None = None, only: list[str] | None = None) -> list[str]:
    """Regenerate ``exercises/`` from ``solutions/``; returns the assignments written."""
    base = course_root(root)
    names = only or assignments(base)
    for name in names:
        generate(base, name)
    return names


@dataclass(frozen=True)
class Drift:
    """A release file that differs from what nbgrader generates now (or is missing or extra)."""

    path: str
    problem: str


def drift(root: Path | str | None = None) -> list[Drift]:
    """Generate every assignment into a temporary folder and compare with ``exercises/`` byte by byte."""
    base = course_root(root)
    problems: list[Drift] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name in assignments(base):
            generate(base, name, out)
        fresh = {p.relative_to(out / EXERCISES): p for p in (out / EXERCISES).rglob("*") if p.is_file()}
        committed_root = base / EXERCISES
        committed = {
            p.relative_to(committed_root): p
            for p in committed_root.rglob("*")
            if p.is_file() and ".ipynb_checkpoints" not in p.parts
        } if committed_root.is_dir() else {}
        for rel, path in fresh.items():
            if rel not in committed:
                problems.append(Drift(f"{EXERCISES}/{rel}", "missing: run `make exercises`"))
            elif committed[rel].read_bytes() != path.read_bytes():
                problems.append(Drift(f"{EXERCISES}/{rel}", "differs from a fresh generation: run `make exercises`"))
        for rel in committed.keys() - fresh.keys():
            problems.append(Drift(f"{EXERCISES}/{rel}", "has no source in solutions/"))
    return problems


@dataclass(frozen=True)
class Leak:
    """Solution or hidden-test text found in a trainee file."""

    path: str
    text: str


def protected_lines(notebook: Path) -> set[str]:
    """Lines that only the solution and hidden-test regions of a source notebook contain.

    A line that also stands outside the regions (a skeleton the trainee is given) is public.
    """
    nb = nbformat.read(notebook, as_version=4)
    inside: set[str] = set()
    outside: set[str] = set()
    for cell in nb.cells:
        source = cell.source + "\n"
        for match in _REGION.finditer(source):
            inside.update(line.strip() for line in match.group(2).splitlines())
        outside.update(line.strip() for line in _REGION.sub("", source).splitlines())
    return {
        line
        for line in inside - outside
        if len(line) >= _MIN_LEAK_LENGTH and not line.startswith("#")
    }


def leaks(root: Path | str | None = None) -> list[Leak]:
    """Every marker, solution line or hidden-test line that appears in ``exercises/``."""
    base = course_root(root)
    found: list[Leak] = []
    for name in assignments(base):
        secret: set[str] = set()
        for source in (base / SOLUTIONS / name).glob("*.ipynb"):
            secret |= protected_lines(source)
        for released in (base / EXERCISES / name).rglob("*.ipynb"):
            nb = nbformat.read(released, as_version=4)
            rel = str(released.relative_to(base))
            for cell in nb.cells:
                for line in cell.source.splitlines():
                    stripped = line.strip()
                    if any(marker in stripped for marker in _MARKERS) or stripped in secret:
                        found.append(Leak(rel, stripped))
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m budapest_coop.course regenerate|check``: maintain exercises/ from solutions/."""
    parser = argparse.ArgumentParser(prog="python -m budapest_coop.course", description=main.__doc__)
    parser.add_argument("action", choices=["regenerate", "check"])
    parser.add_argument("--root", default=None, help="course folder (default: found from here)")
    args = parser.parse_args(argv)
    try:
        if args.action == "regenerate":
            for name in regenerate(args.root):
                print(f"regenerated {EXERCISES}/{name}/ from {SOLUTIONS}/{name}/")
            return 0
        problems = [f"{d.path}: {d.problem}" for d in drift(args.root)]
        problems += [f"{leak.path}: leaked text: {leak.text}" for leak in leaks(args.root)]
        for line in problems:
            print(line, file=sys.stderr)
        print("exercises/ is up to date and leaks nothing" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["CourseError", "Drift", "Leak", "assignments", "course_root", "drift", "leaks", "regenerate"]
