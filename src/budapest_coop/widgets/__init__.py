"""Interactive widgets for the notebooks; each only wires inputs to package functions."""

from .article32_cards import Article32Cards
from .channel_explorer import ChannelExplorer
from .desk import TwentyFourSevenDesk
from .preservation_builder import DataItemRow, PreservationRequestBuilder

__all__ = [
    "Article32Cards",
    "ChannelExplorer",
    "DataItemRow",
    "PreservationRequestBuilder",
    "TwentyFourSevenDesk",
]
