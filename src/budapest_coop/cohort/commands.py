"""The ``budapest-coop cohort ...`` commands: parsed flags in, one API call, its summary out.

``budapest_coop.cli`` declares the flags; each function here calls the package and prints the
result. Known problems (:class:`CohortError`) are printed as ``error: ...`` with exit status 2,
never as a traceback. ``grade`` exits 0 when every submission was graded, 1 when some failed
or timed out (the summary says which and why), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable

from .errors import CohortError

EXIT_OK, EXIT_SOME_FAILED, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn errors into one ``error:`` line on stderr and an exit status (never a traceback)."""
    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CohortError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            print("interrupted; nothing was left half-done", file=sys.stderr)
            return EXIT_INTERRUPTED
        except PermissionError as exc:
            print(f"error: permission denied on {exc.filename}: check that you may write there", file=sys.stderr)
            return EXIT_ERROR
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
            return EXIT_ERROR
        except Exception as exc:  # never a traceback for a user; the debug switch shows it to a developer
            if os.environ.get("BUDAPEST_COOP_DEBUG"):
                raise
            print(
                f"error: unexpected {type(exc).__name__}: {exc}\n"
                "  this is a bug in budapest-coop: run again with BUDAPEST_COOP_DEBUG=1 to see where, and report it",
                file=sys.stderr,
            )
            return EXIT_ERROR

    return run


@_guarded
def new(args: argparse.Namespace) -> int:
    """Create a cohort folder."""
    from .folder import new_cohort

    cohort = new_cohort(args.dir, course_id=args.name, course_repo=args.course, exchange_root=args.exchange)
    print(f"created cohort '{cohort.course_id}' in {cohort.root} (source: {cohort.solutions})")
    print(f"next: budapest-coop cohort roster {cohort.root} ROSTER.csv")
    return EXIT_OK


@_guarded
def roster(args: argparse.Namespace) -> int:
    """Add or update trainees from a CSV roster."""
    from .roster import add_roster

    print(add_roster(args.dir, args.file))
    return EXIT_OK


@_guarded
def release(args: argparse.Namespace) -> int:
    """Generate and release assignments."""
    from .release import release as run

    print(run(args.dir, args.assignments or None, mode=args.mode, to=args.to))
    return EXIT_OK


@_guarded
def collect(args: argparse.Namespace) -> int:
    """Collect submissions from a zip, a folder or the exchange."""
    from .collect import collect as run

    result = run(args.dir, args.source, assignment=args.assignment)
    print(result)
    return EXIT_OK


@_guarded
def grade(args: argparse.Namespace) -> int:
    """Autograde in parallel; exit 0 all graded, 1 some failed or timed out, 130 interrupted."""
    from .autograde import grade as run
    from .progress import Progress

    summary = run(
        args.dir,
        args.assignments or None,
        trainees=args.trainee or None,
        workers=args.workers,
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        force=args.force,
        progress=None if args.quiet else Progress(sys.stderr),
    )
    print(summary)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if summary.ok else EXIT_SOME_FAILED


@_guarded
def comment(args: argparse.Namespace) -> int:
    """Store an instructor's comment on a trainee's answer cell."""
    from .feedback import add_comment

    cell = add_comment(args.dir, args.trainee, args.text, assignment=args.assignment, notebook=args.notebook,
                       cell=args.cell)
    print(f"comment stored on {args.trainee}'s cell '{cell}'; run `feedback` to put it in their feedback")
    return EXIT_OK


@_guarded
def feedback(args: argparse.Namespace) -> int:
    """Write HTML feedback per trainee."""
    from .feedback import feedback as run
    from .progress import Progress

    print(run(args.dir, args.assignments or None, trainees=args.trainee or None, release=args.release or None,
              progress=Progress(sys.stderr, label="feedback")))
    return EXIT_OK


def _items(pairs: list[str]) -> dict[str, str]:
    """``ASSIGNMENT=NAME`` pairs as a dict."""
    items = {}
    for pair in pairs:
        assignment, sep, name = pair.partition("=")
        if not sep or not assignment.strip():
            raise CohortError(f"--item {pair!r}: write it as ASSIGNMENT=NAME, e.g. preservation_request='Preservation request'")
        items[assignment.strip()] = name
    return items


@_guarded
def export(args: argparse.Namespace) -> int:
    """Write the grade exports."""
    from .export import export as run

    print(run(args.dir, to=args.to, items=_items(args.item or []),
              missing="zero" if args.missing_as_zero else "blank",
              scale="percent" if args.percent else "points"))
    return EXIT_OK


@_guarded
def report(args: argparse.Namespace) -> int:
    """Run the cohort report notebook."""
    from .report import report as run

    print(run(args.dir, to=args.to))
    return EXIT_OK


__all__ = ["collect", "comment", "export", "feedback", "grade", "new", "release", "report", "roster"]
