"""Which checker reads each graded draft: the findings probe run in the trainee's kernel.

To know which findings each trainee's draft has, grading runs, after the notebook's last
cell and in the trainee's own kernel, a short snippet that passes the answer variable to
the package's checker and prints the finding codes as JSON (see
:class:`~budapest_coop.cohort.nbgrader_ext.CohortExecute`). The snippet is never added to
the notebook, so it cannot change a score; the trainee's code never runs in the instructor's
process. Add a :class:`FindingsProbe` here when a new graded assignment has a checker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingsProbe:
    """The checker ``module.function`` applied to the variable ``variable`` of one notebook."""

    assignment: str
    notebook: str
    variable: str
    module: str
    function: str

    def code(self) -> str:
        """The snippet run in the trainee's kernel."""
        from .nbgrader_ext import probe_code

        return probe_code(self.variable, self.module, self.function)


PROBES: tuple[FindingsProbe, ...] = (
    FindingsProbe(
        assignment="preservation_request",
        notebook="preservation_request",
        variable="request",
        module="budapest_coop",
        function="check_preservation_request",
    ),
)


def probes_for(assignment: str) -> dict[str, str]:
    """Notebook id -> probe code, for the notebooks of ``assignment`` that have a checker."""
    return {p.notebook: p.code() for p in PROBES if p.assignment == assignment}


__all__ = ["PROBES", "FindingsProbe", "probes_for"]
