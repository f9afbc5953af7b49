"""Interactive widgets for the notebooks; each only wires inputs to package functions."""

from .preservation_builder import DataItemRow, PreservationRequestBuilder

__all__ = ["DataItemRow", "PreservationRequestBuilder"]
