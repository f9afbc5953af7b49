"""The one error type of the cohort workflow: what is wrong, and how to fix it."""

from __future__ import annotations


class CohortError(RuntimeError):
    """A cohort operation cannot go on. The message names the file or trainee, the problem and the fix.

    The command line prints the message (never a traceback) and exits with status 2.
    Nothing is half-done when it is raised: checks run before any file or grade is changed.
    """


__all__ = ["CohortError"]
