"""Benchmark: plain sequential `nbgrader autograde` against `budapest-coop cohort grade`.

Builds a synthetic cohort in a temporary folder (N trainees x every assignment of the course,
mixing full, blank, partial, erroring and slow submissions), then grades the same submissions
twice, each as the instructor would run it from a shell:

1. sequential: a plain nbgrader course (same gradebook, same files, nbgrader's own
   preprocessors) and one `nbgrader autograde '*'` for every assignment at once;
2. ours: `budapest-coop cohort grade DIR` (parallel workers, one per core by default).

It prints both wall times and their ratio, where our time goes (from the per-submission
timings the grading record keeps), and checks that the two gradebooks hold the same score for
every test cell of every submission.

    python benchmarks/bench_grading.py                # 30 trainees
    python benchmarks/bench_grading.py --trainees 6   # a quick run
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

KINDS = ("full", "blank", "partial", "error", "slow")
# The partly right draft of the round-trip tests, so both measure the same kind of work.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from nbgrader_helpers import PARTIAL_ANSWER as PARTIAL_PRESERVATION  # noqa: E402

_SOLUTION = re.compile(r"^(?P<skeleton>.*?)### BEGIN SOLUTION\n(?P<solution>.*?)### END SOLUTION\n?", re.DOTALL)


def _bin() -> Path:
    return Path(sys.executable).parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(_bin()) + os.pathsep + env.get("PATH", "")
    return env


def answers_for(source: Path) -> dict[str, dict[str, str | None]]:
    """grade_id of each answer cell -> the source a submission of each kind puts there (None: left blank)."""
    nb = nbformat.read(source, as_version=4)
    out: dict[str, dict[str, str | None]] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        match = _SOLUTION.match(cell.source) if meta.get("solution") else None
        if not match:
            continue
        skeleton, solution = match["skeleton"], match["solution"]
        if source.stem == "preservation_request":
            partial = PARTIAL_PRESERVATION
        else:  # first half of the solution's lines, second half of the skeleton's (when they line up)
            s, k = solution.splitlines(), skeleton.splitlines()
            partial = "\n".join(s[: len(s) // 2] + k[len(s) // 2:]) + "\n" if len(s) == len(k) else solution
        out[meta["grade_id"]] = {
            "full": solution,
            "blank": None,
            "partial": partial,
            "error": "raise RuntimeError('the trainee broke this cell')\n",
            "slow": solution + "import time\ntime.sleep({slow})\n",
        }
    return out


def build(root: Path, trainees: int, slow: float) -> tuple[Path, list[str], int]:
    """A cohort with ``trainees`` trainees, every assignment released and collected; returns (cohort, assignments, n)."""
    from budapest_coop import cohort as bc

    cohort = bc.new_cohort(root / "cohort", course_id="bench")
    roster = root / "roster.csv"
    roster.write_text(
        "id,first_name,last_name,email\n"
        + "".join(f"t{i:03d},Trainee,Number{i:03d},t{i:03d}@training.example\n" for i in range(trainees)),
        encoding="utf-8",
    )
    bc.add_roster(cohort, roster)
    bc.release(cohort, mode="copy")
    assignments = cohort.released_assignments()
    count = 0
    for assignment in assignments:
        incoming = root / "incoming" / assignment
        for released in sorted(cohort.path("release", assignment).glob("*.ipynb")):
            plans = answers_for(cohort.path("source", assignment, released.name))
            for i in range(trainees):
                kind = KINDS[i % len(KINDS)]
                nb = nbformat.read(released, as_version=4)
                for cell in nb.cells:
                    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                    if grade_id in plans and plans[grade_id][kind] is not None:
                        cell.source = plans[grade_id][kind].replace("{slow}", f"{slow:g}")
                folder = incoming / f"t{i:03d}"
                folder.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, folder / released.name)
                count += 1
        bc.collect(cohort, incoming, assignment=assignment)
    return cohort.root, assignments, count


def sequential_course(cohort_root: Path, target: Path, cell_timeout: int) -> Path:
    """A plain nbgrader course with the cohort's files and gradebook, and nbgrader's own preprocessors."""
    target.mkdir(parents=True)
    for folder in ("source", "release", "submitted"):
        shutil.copytree(cohort_root / folder, target / folder)
    shutil.copyfile(cohort_root / "gradebook.db", target / "gradebook.db")
    (target / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.course_id = 'bench'\n"
        "c.CourseDirectory.source_directory = 'source'\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        f"c.Execute.timeout = {cell_timeout}\n",
        encoding="utf-8",
    )
    return target


def cell_scores(db: Path) -> dict[tuple[str, str, str, str], float | None]:
    """(assignment, trainee, notebook, cell) -> auto score, for every grade in a gradebook."""
    from nbgrader.api import Gradebook, SubmittedAssignment

    scores = {}
    with Gradebook(f"sqlite:///{db}", "bench") as gb:
        for sub in gb.db.query(SubmittedAssignment).all():
            for nb in sub.notebooks:
                for grade in nb.grades:
                    scores[(sub.assignment.name, sub.student.id, nb.name, grade.name)] = grade.auto_score
    return scores


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30, help="trainees in the synthetic cohort (default 30)")
    parser.add_argument("--workers", type=int, default=None, help="our workers (default: one per core)")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds a 'slow' submission sleeps (default 2)")
    parser.add_argument("--cell-timeout", type=int, default=60, help="per-cell timeout for both runs (default 60)")
    parser.add_argument("--keep", default=None, metavar="DIR", help="build in DIR and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.trainees < 1:
        parser.error("--trainees must be at least 1")

    root = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-grading-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        from budapest_coop.cohort import default_workers
        from budapest_coop.cohort.state import GradingState

        workers = args.workers or default_workers()
        print(f"cores available: {default_workers()}; our workers: {workers}; python {sys.version.split()[0]}")
        started = time.perf_counter()
        cohort_root, assignments, count = build(root, args.trainees, args.slow)
        print(f"built {count} submissions ({args.trainees} trainees x {len(assignments)} assignments: "
              f"{', '.join(assignments)}; kinds {'/'.join(KINDS)}) in {time.perf_counter() - started:.1f} s")

        seq = sequential_course(cohort_root, root / "sequential", args.cell_timeout)
        # One nbgrader process for every assignment ("*"): nbgrader's best case, one start-up.
        sequential = timed([str(_bin() / "nbgrader"), "autograde", "*", "--force", "--log-level=WARN"], seq)
        command = [str(_bin() / "budapest-coop"), "cohort", "grade", str(cohort_root), "--quiet",
                   f"--cell-timeout={args.cell_timeout}"] + ([f"--workers={args.workers}"] if args.workers else [])
        ours = timed(command, cohort_root)
        import_only = timed([sys.executable, "-c", "import nbgrader.converters, nbgrader.api"], root)

        print(f"\nsequential nbgrader autograde: {sequential:7.1f} s  ({sequential / count:.2f} s per submission, "
              "one `nbgrader autograde '*'`)")
        print(f"budapest-coop cohort grade:    {ours:7.1f} s  ({ours / count:.2f} s per submission, {workers} workers)")
        print(f"ratio ours / sequential:       {ours / sequential:7.2f}   (target <= 0.50 on 2 cores)")

        records = GradingState(cohort_root / ".cohort" / "grading.json").records()
        phases: dict[str, list[float]] = {}
        for record in records:
            for phase, seconds in record.timing.items():
                phases.setdefault(phase, []).append(seconds)
        worker_total = sum(r.seconds for r in records)
        print(f"\nwhere our time goes ({len(records)} submissions; worker seconds, mean per submission):")
        for phase in ("setup", "kernel_start", "cells", "probe", "kernel_stop"):
            if phase in phases:
                print(f"  {phase:<13} {statistics.mean(phases[phase]):6.3f} s")
        if "nbgrader" in phases:
            inner = sum(statistics.mean(phases.get(p, [0])) for p in ("kernel_start", "cells", "probe", "kernel_stop"))
            print(f"  {'nbgrader rest':<13} {statistics.mean(phases['nbgrader']) - inner:6.3f} s  "
                  "(sanitise, gradebook writes, notebook I/O in the scratch course)")
        print(f"  sum of worker time {worker_total:.1f} s over {ours:.1f} s wall = {worker_total / ours:.2f} workers busy")
        print(f"  start-up (interpreter + nbgrader import, measured alone): {import_only:.1f} s per command")

        a, b = cell_scores(seq / "gradebook.db"), cell_scores(cohort_root / "gradebook.db")
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        if differ:
            print(f"\nMISMATCH: {len(differ)} of {len(a | b)} cell scores differ, e.g.:")
            for key in differ[:10]:
                print(f"  {key}: sequential {a.get(key)} ours {b.get(key)}")
            return 1
        print(f"\nidentical scores: {len(a)} test-cell grades of {count} submissions match")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
