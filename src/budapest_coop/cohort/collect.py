"""Collect: bring submissions into ``submitted/<trainee>/<assignment>/``, matched to the roster.

Sources:

- a **zip** downloaded from an e-learning platform. Moodle's "Download all submissions" is
  understood in both of its layouts: ``Firstname Lastname_123456_assignsubmission_file_/x.ipynb``
  (folders) and ``Firstname Lastname_123456_assignsubmission_file_x.ipynb`` (flat). Zips inside
  a submission are opened too;
- a **folder tree**, one folder per trainee named by id, e-mail or full name
  (``alice/preservation_request.ipynb``, ``alice/preservation_request/preservation_request.ipynb``,
  ``Anna Müller/preservation_request.ipynb``, ...), or a folder of Moodle-named files;
- the nbgrader **exchange** (``"exchange"``), for cohorts on JupyterHub.

nbgrader's ``zip_collect`` is the engine for zips and folders: its extractor unpacks the batch,
and :class:`RosterCollector` (an nbgrader collector plugin) tells it which trainee and notebook
each file is, from a plan made against the roster. Files that match nobody are reported, never
guessed. A trainee's earlier submission that a new file replaces is kept in
``.cohort/replaced/<time>/``.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict

from . import _nbgrader
from .errors import CohortError
from .folder import DOWNLOADED, STATE, SUBMITTED, Cohort, nbgrader_config, open_cohort
from .roster import TraineeMatcher, trainees

_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<rest>.*)$")
_JUNK_PARTS = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")


@dataclass(frozen=True)
class Collected:
    """A trainee's files placed in ``submitted/<trainee>/<assignment>/``."""

    trainee: str
    notebooks: tuple[str, ...]
    origins: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    """A file that was not collected, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class CollectResult:
    """What ``collect`` did: collected, unmatched (with reasons), ignored, and invalid notebooks."""

    assignment: str
    source: str
    collected: tuple[Collected, ...]
    unmatched: tuple[Unmatched, ...] = ()
    ignored: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [
            f"collected {self.assignment} from {self.source}: {len(self.collected)} trainee(s), "
            f"{len(self.unmatched)} unmatched file(s), {len(self.ignored)} ignored"
        ]
        for c in self.collected:
            lines.append(f"  {c.trainee}: {', '.join(c.notebooks)}" + "".join(f" ({n})" for n in c.notes))
        if self.unmatched:
            lines.append("NOT collected (fix the name or the roster, then collect again):")
            lines.extend(f"  {u}" for u in self.unmatched)
        if self.invalid:
            lines.append("collected but NOT valid notebooks (grading will report them until the trainee re-submits):")
            lines.extend(f"  {line}" for line in self.invalid)
        if self.ignored:
            lines.append("ignored (not notebooks): " + ", ".join(self.ignored[:10]) + (" ..." if len(self.ignored) > 10 else ""))
        return "\n".join(lines)


class RosterCollector(FileNameCollectorPlugin):
    """nbgrader collector plugin: looks each extracted file up in a plan made against the roster."""

    plan = Dict({}, help="Absolute extracted path -> {'student_id', 'file_id'}; files not in it are skipped.")

    def collect(self, submitted_file: str) -> dict | None:
        info = self.plan.get(submitted_file)
        return dict(info) if info else None


def resolve_assignment(cohort: Cohort, assignment: str | None) -> str:
    """The assignment to collect: the given one (checked), or the only released one."""
    if assignment:
        return cohort.check_assignments([assignment])[0]
    released = cohort.check_assignments(None)
    if len(released) > 1:
        raise CohortError(
            f"this cohort has released {len(released)} assignments ({', '.join(released)}): "
            "say which one the submissions are for with --assignment"
        )
    return released[0]


def _stage(source: Path, archive: Path) -> None:
    """Copy the batch into nbgrader's archive folder (emptied first)."""
    if archive.exists():
        shutil.rmtree(archive)
    archive.mkdir(parents=True)
    if source.is_dir():
        shutil.copytree(source, archive / source.name)
    else:
        shutil.copy2(source, archive / source.name)


def _check_source(source: Path) -> None:
    if not source.exists():
        raise CohortError(f"{source} does not exist: give the zip file or the folder of submissions")
    if source.is_dir():
        if not any(p.is_file() for p in source.rglob("*")):
            raise CohortError(f"the folder {source} holds no files; nothing was collected")
        return
    if source.suffix.lower() != ".zip" or not zipfile.is_zipfile(source):
        raise CohortError(
            f"{source.name} is not a zip file: give the zip downloaded from the e-learning platform, "
            "or a folder of submissions"
        )
    try:
        with zipfile.ZipFile(source) as zf:
            entries = [i for i in zf.infolist() if not i.is_dir()]
            broken = zf.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CohortError(f"{source.name} cannot be read as a zip ({exc}); download it again") from None
    if not entries:
        raise CohortError(f"the zip {source.name} is empty (it holds no files); nothing was collected")
    if broken:
        raise CohortError(f"the zip {source.name} is damaged (entry {broken!r} fails its check); download it again")


def _plan(
    extracted: Path, notebooks: list[str], matcher: TraineeMatcher
) -> tuple[dict[str, dict], list[Collected], list[Unmatched], list[str]]:
    """Decide, for every extracted file, whose notebook it is (or why it is not collected)."""
    ignored: list[str] = []
    unmatched: list[Unmatched] = []
    wanted = {f"{n}.ipynb": n for n in notebooks}
    # trainee id -> notebook file name -> list of (path, shown, exact)
    claims: dict[str, dict[str, list[tuple[Path, str, bool]]]] = {}
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        rel = PurePosixPath(path.relative_to(extracted).as_posix())
        parts = rel.parts[1:]  # drop the batch folder (the zip's or the folder's own name)
        shown = "/".join(parts) or rel.as_posix()
        if any(p in _JUNK_PARTS or p.startswith(".") for p in parts):
            continue
        if path.suffix.lower() != ".ipynb":
            ignored.append(shown)
            continue
        filename, keys, pid = parts[-1], list(parts[:-1]), ""
        for i, part in enumerate(parts):
            moodle = _MOODLE.match(part)
            if moodle:
                keys, pid = [moodle["name"]], moodle["pid"]
                if i == len(parts) - 1:
                    filename = moodle["rest"] or filename
                break
        if not keys:
            stem = PurePosixPath(filename).stem
            if stem in notebooks or not matcher.match(stem).trainee:
                unmatched.append(Unmatched(shown, "not in a trainee's folder: put each trainee's notebook in a folder "
                                                  "named by their id, e-mail or name"))
                continue
            keys = [stem]
        match = None
        for key in keys:
            found = matcher.match(key, alternative_id=pid)
            if found.trainee:
                match = found
                break
            match = match or found
        if match is None or match.trainee is None:
            unmatched.append(Unmatched(shown, match.reason if match else "no trainee folder"))
            continue
        exact = filename in wanted
        if not exact and len(notebooks) != 1:
            unmatched.append(Unmatched(
                shown, f"'{filename}' is not a notebook of this assignment (expected: {', '.join(wanted)})"
            ))
            continue
        target = filename if exact else f"{notebooks[0]}.ipynb"
        claims.setdefault(match.trainee.id, {}).setdefault(target, []).append((path, shown, exact))
    plan: dict[str, dict] = {}
    collected: list[Collected] = []
    for trainee_id in sorted(claims):
        names, origins, notes = [], [], []
        for target, candidates in sorted(claims[trainee_id].items()):
            exact = [c for c in candidates if c[2]]
            chosen = exact if len(exact) == 1 else (candidates if len(candidates) == 1 else [])
            if not chosen:
                listing = ", ".join(c[1] for c in candidates)
                for _, shown, _ in candidates:
                    unmatched.append(Unmatched(
                        shown, f"trainee '{trainee_id}' has {len(candidates)} files for {target} ({listing}); "
                               "keep one and collect again"
                    ))
                continue
            path, shown, was_exact = chosen[0]
            for _, other, _ in candidates:
                if other != shown:
                    unmatched.append(Unmatched(other, f"trainee '{trainee_id}' also has {shown}, which was collected as {target}"))
            plan[str(path)] = {"student_id": trainee_id, "file_id": target}
            names.append(target)
            origins.append(shown)
            if not was_exact:
                notes.append(f"'{PurePosixPath(shown).name}' collected as {target}")
        if names:
            collected.append(Collected(trainee_id, tuple(names), tuple(origins), tuple(notes)))
    return plan, collected, unmatched, ignored


def _backup_replaced(cohort: Cohort, assignment: str, plan: dict[str, dict], stamp: str) -> dict[str, str]:
    """Keep a trainee's earlier submission that the new files replace; returns trainee -> backup note."""
    incoming: dict[str, dict[str, bytes]] = {}
    for path, info in plan.items():
        incoming.setdefault(info["student_id"], {})[info["file_id"]] = Path(path).read_bytes()
    notes = {}
    for trainee_id, files in incoming.items():
        current = cohort.path(SUBMITTED, trainee_id, assignment)
        if not current.is_dir():
            continue
        before = {p.name: p.read_bytes() for p in current.iterdir() if p.is_file() and p.name != "timestamp.txt"}
        if before == files:
            continue
        backup = cohort.path(STATE, "replaced", stamp, trainee_id, assignment)
        shutil.copytree(current, backup)
        notes[trainee_id] = f"replaced an earlier submission, kept in {backup.relative_to(cohort.root)}"
    return notes


def _invalid_notebooks(cohort: Cohort, assignment: str, collected: list[Collected]) -> list[str]:
    from .validation import notebook_problem

    problems = []
    for c in collected:
        for name in c.notebooks:
            path = cohort.path(SUBMITTED, c.trainee, assignment, name)
            problem = notebook_problem(path)
            if problem:
                problems.append(f"{c.trainee}: {problem}")
    return problems


def collect(cohort: Cohort | Path | str, source: Path | str, *, assignment: str | None = None) -> CollectResult:
    """Collect submissions for ``assignment`` (default: the only released one) from a zip, a folder or ``"exchange"``.

    Each file goes to the trainee whose id, e-mail or full name its folder (or Moodle name)
    gives; files that match nobody are listed in the result with the reason. Collecting the
    same batch again changes nothing.
    """
    cohort = open_cohort(cohort)
    name = resolve_assignment(cohort, assignment)
    people = trainees(cohort)
    if not people:
        raise CohortError(
            f"the cohort has no trainees yet: add them with `budapest-coop cohort roster {cohort.root} ROSTER.csv`"
        )
    if str(source) == "exchange":
        return _collect_exchange(cohort, name, people)
    source_path = Path(source).expanduser().resolve()
    _check_source(source_path)
    if source_path.is_relative_to(cohort.path(DOWNLOADED)):
        raise CohortError(
            f"{source_path} is inside the cohort's work area {cohort.path(DOWNLOADED)}, which collect empties: "
            "give the original download instead"
        )

    from nbgrader.apps import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory

    log = _nbgrader.quiet_logger()
    cfg = nbgrader_config(cohort)
    work = cohort.path(DOWNLOADED, name)
    _stage(source_path, work / "archive")
    app = ZipCollectApp(config=cfg, log=log)
    app.coursedir = CourseDirectory(config=cfg, log=log)
    app.coursedir.assignment_id = name
    app.downloaded_directory = DOWNLOADED
    app.force = True
    app.strict = True
    app.collector_plugin = RosterCollector
    app.init_plugins()
    try:
        app.extract_archive_files()
    except SystemExit:
        raise CohortError(f"nbgrader could not unpack {source_path.name}; is it a complete download?") from None
    except Exception as exc:
        raise CohortError(f"nbgrader could not unpack {source_path.name}: {exc}") from None
    extracted = work / "extracted"
    plan, collected, unmatched, ignored = _plan(extracted, cohort.notebooks(name), TraineeMatcher(people))
    if not plan and not unmatched:
        raise CohortError(
            f"{source_path.name} holds no notebooks (.ipynb) for {name}"
            + (f"; it holds: {', '.join(ignored[:5])}" if ignored else "")
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backups = _backup_replaced(cohort, name, plan, stamp)
    app.collector_plugin_inst.plan = plan
    if plan:
        _nbgrader.run(_Step(app.process_extracted_files, log), f"nbgrader zip_collect {name}")
    collected = [
        Collected(c.trainee, c.notebooks, c.origins, c.notes + ((backups[c.trainee],) if c.trainee in backups else ()))
        for c in collected
    ]
    return CollectResult(
        assignment=name,
        source=str(source_path),
        collected=tuple(collected),
        unmatched=tuple(sorted(unmatched, key=lambda u: u.path)),
        ignored=tuple(ignored),
        invalid=tuple(_invalid_notebooks(cohort, name, collected)),
    )


class _Step:
    """Adapter so that one method of an app can run under :func:`_nbgrader.run`."""

    def __init__(self, method, log):
        self.start = method
        self.log = log


def _collect_exchange(cohort: Cohort, assignment: str, people) -> CollectResult:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    if cohort.exchange_root is None:
        raise CohortError("this cohort has no exchange folder: collect from a zip or a folder instead")
    log = _nbgrader.quiet_logger()
    cfg = nbgrader_config(cohort)
    coursedir = CourseDirectory(config=cfg, log=log)
    coursedir.assignment_id = assignment
    before = {p: p.stat().st_mtime for p in cohort.path(SUBMITTED).glob(f"*/{assignment}/*.ipynb")}
    action = ExchangeFactory(config=cfg, log=log).Collect(
        coursedir=coursedir, authenticator=Authenticator(config=cfg, log=log), config=cfg, log=log
    )
    action.update = True
    _nbgrader.run(action, f"nbgrader collect {assignment}")
    roster = {t.id for t in people}
    collected, unmatched = [], []
    for folder in sorted(cohort.path(SUBMITTED).glob(f"*/{assignment}")):
        student = folder.parent.name
        files = sorted(p for p in folder.glob("*.ipynb"))
        if not any(before.get(p) != p.stat().st_mtime for p in files):
            continue
        if student not in roster:
            unmatched.append(Unmatched(str(folder.relative_to(cohort.root)),
                                       f"JupyterHub user '{student}' is not on the roster; it will not be graded"))
            continue
        collected.append(Collected(student, tuple(p.name for p in files), (f"exchange:{student}",)))
    return CollectResult(assignment, f"exchange {cohort.exchange_root}", tuple(collected), tuple(unmatched),
                         invalid=tuple(_invalid_notebooks(cohort, assignment, collected)))


__all__ = ["CollectResult", "Collected", "RosterCollector", "Unmatched", "collect", "resolve_assignment"]
