"""Release: snapshot the repository's solutions, generate the trainee versions, hand them out.

nbgrader does the work: ``generate_assignment`` writes ``release/`` and records the
assignment (cells, points, checksums) in the cohort's gradebook; with an exchange,
``release_assignment`` publishes it for JupyterHub users. Without one, the release is copied to
``handout/<assignment>/`` and zipped (``handout/<assignment>.zip``) for an e-learning platform
or a USB stick.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import _nbgrader
from .errors import CohortError
from .folder import HANDOUT, RELEASE, SOURCE, Cohort, copy_tree, nbgrader_config, open_cohort
from .leaks import find_leaks, secret_lines

MODES = ("copy", "exchange")


@dataclass(frozen=True)
class Released:
    """One released assignment: its notebooks and where trainees get them."""

    assignment: str
    notebooks: tuple[str, ...]
    destination: Path
    archive: Path | None = None


@dataclass(frozen=True)
class ReleaseResult:
    """What ``release`` did."""

    mode: str
    released: tuple[Released, ...]

    def __str__(self) -> str:
        lines = []
        for r in self.released:
            where = f"{r.destination}" + (f" and {r.archive}" if r.archive else "")
            how = "published in the exchange at" if self.mode == "exchange" else "copied to"
            lines.append(f"released {r.assignment} ({', '.join(r.notebooks)}): {how} {where}")
        return "\n".join(lines)


def _zip(folder: Path, target: Path) -> None:
    """A zip of ``folder`` whose entries start with the folder's name; same bytes on every run."""
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(Path(folder.name) / path.relative_to(folder)), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)


def _check_no_leak(cohort: Cohort, assignment: str) -> None:
    secret = secret_lines(cohort.path(SOURCE, assignment))
    for released in sorted(cohort.path(RELEASE, assignment).rglob("*.ipynb")):
        found = find_leaks(released, secret)
        if found:
            raise CohortError(
                f"refusing to hand out {released}: it contains solution or hidden-test text "
                f"({found[0].text[:60]!r}). Check the solution markers in the repository's solutions/ notebook"
            )


def release(
    cohort: Cohort | Path | str,
    assignments: list[str] | tuple[str, ...] | None = None,
    *,
    mode: str | None = None,
    to: Path | str | None = None,
) -> ReleaseResult:
    """Generate and release assignments (default: every assignment of the repository).

    ``mode`` is ``"exchange"`` (nbgrader's folder exchange; the default when the cohort has one)
    or ``"copy"`` (plain copies and a zip in ``to``, default ``DIR/handout``). Re-releasing is
    safe: the same files come out, grades already in the gradebook are kept.
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    cohort = open_cohort(cohort)
    mode = mode or ("exchange" if cohort.exchange_root else "copy")
    if mode not in MODES:
        raise CohortError(f"release mode {mode!r} is unknown: use one of {', '.join(MODES)}")
    if mode == "exchange" and cohort.exchange_root is None:
        raise CohortError(
            "this cohort has no exchange folder: create the cohort with --exchange PATH, "
            "or release with plain copies (mode 'copy')"
        )
    offered = cohort.source_assignments()
    names = list(dict.fromkeys(assignments or offered))
    unknown = [n for n in names if n not in offered]
    if unknown:
        raise CohortError(
            f"no assignment {', '.join(repr(n) for n in unknown)} in {cohort.solutions}; "
            f"known assignments: {', '.join(offered) or 'none'}"
        )
    out = Path(to).expanduser().resolve() if to else cohort.path(HANDOUT)
    log = _nbgrader.quiet_logger()
    done = []
    for name in names:
        copy_tree(cohort.solutions / name, cohort.path(SOURCE, name))
        cfg = nbgrader_config(cohort)
        coursedir = CourseDirectory(config=cfg, log=log)
        coursedir.assignment_id = name
        app = GenerateAssignment(coursedir=coursedir, config=cfg, log=log)
        app.force = True
        app.create_assignment = True
        _nbgrader.run(app, f"nbgrader generate_assignment {name}")
        _check_no_leak(cohort, name)
        notebooks = tuple(sorted(p.stem for p in cohort.path(RELEASE, name).glob("*.ipynb")))
        if mode == "copy":
            out.mkdir(parents=True, exist_ok=True)
            copy_tree(cohort.path(RELEASE, name), out / name)
            _zip(out / name, out / f"{name}.zip")
            done.append(Released(name, notebooks, out / name, out / f"{name}.zip"))
        else:
            done.append(Released(name, notebooks, _exchange_release(cohort, name, cfg)))
    return ReleaseResult(mode, tuple(done))


def _exchange_release(cohort: Cohort, assignment: str, cfg) -> Path:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError, ExchangeFactory

    log = _nbgrader.quiet_logger()
    coursedir = CourseDirectory(config=cfg, log=log)
    coursedir.assignment_id = assignment
    factory = ExchangeFactory(config=cfg, log=log)
    action = factory.ReleaseAssignment(
        coursedir=coursedir, authenticator=Authenticator(config=cfg, log=log), config=cfg, log=log
    )
    action.force = True
    try:
        _nbgrader.run(action, f"releasing {assignment} to the exchange {cohort.exchange_root}")
    except ExchangeError as exc:  # pragma: no cover - run() already reports failures
        raise CohortError(f"releasing {assignment} to the exchange failed: {exc}") from None
    return Path(str(cohort.exchange_root)) / cohort.course_id / "outbound" / assignment


__all__ = ["MODES", "ReleaseResult", "Released", "release"]
