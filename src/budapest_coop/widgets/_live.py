"""What every live form shares: redraw after each change, and only once after a batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class LiveForm:
    """Mixin for a widget that asks the package again on every change of its controls.

    Subclasses implement :meth:`redraw`; controls call :meth:`_changed`; filling many controls
    at once happens inside ``with self.batch():`` so the package is asked once, at the end.
    """

    _loading = False

    def redraw(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Ask the package again and redraw, unless a batch of changes is still under way."""
        if not self._loading:
            self.redraw()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Change many controls and redraw once, when the batch ends."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False
        self.refresh()

    def _changed(self, _change: dict) -> None:
        self.refresh()
