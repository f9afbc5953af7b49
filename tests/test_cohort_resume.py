"""An interrupted `budapest-coop cohort grade` keeps what it finished and the next run grades only the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from budapest_coop import cohort
from nbgrader_helpers import ASSIGNMENT
from test_cohort_helpers import ROSTER, full, totals, write_folder


def _graded(root: Path) -> set[str]:
    path = root / ".cohort" / "grading.json"
    if not path.is_file():
        return set()
    return {r["trainee"] for r in json.loads(path.read_text())["submissions"].values() if r["outcome"] == "graded"}


def test_interrupted_grade_resumes(tmp_path):
    """Ctrl-C stops the workers and their kernels, keeps the finished grade; the re-run skips it and grades the rest."""
    c = cohort.new_cohort(tmp_path / "cohort")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    cohort.add_roster(c, tmp_path / "roster.csv")
    cohort.release(c, [ASSIGNMENT])
    gate = tmp_path / "hold"  # bob's draft waits while this file exists
    gate.write_text("", encoding="utf-8")
    hold = f"import os, time\nwhile os.path.exists({str(gate)!r}):\n    time.sleep(0.2)\n"
    cohort.collect(c, write_folder(tmp_path / "in", c.root, {"alice": full(), "bob": full() + hold, "carla": full()}))

    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    command = [sys.executable, "-m", "budapest_coop.cli", "cohort", "grade", str(c.root), "--workers", "1"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while "alice" not in _graded(c.root) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, process.communicate()
    time.sleep(1.0)  # bob's notebook is now waiting at the gate
    kernels_before = {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert "INTERRUPTED" in out and "run the same command again" in out and "Traceback" not in err
    assert _graded(c.root) == {"alice"} and totals(c.root) == {"alice": 14}
    assert kernels_before and not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                                      for p in kernels_before)

    gate.unlink()
    summary = cohort.grade(c, workers=2)
    assert [o.trainee for o in summary.of("skipped")] == ["alice"]
    assert sorted(o.trainee for o in summary.of("graded")) == ["bob", "carla"]
    assert totals(c.root) == {"alice": 14, "bob": 14, "carla": 14}
