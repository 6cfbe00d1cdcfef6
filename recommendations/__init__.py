"""Live channel recommendations: who to watch now, and why."""

from recommendations.coviewing import CoViewingGraph, co_viewers
from recommendations.inputs import CoViewingInputs, CoViewingPair, LiveChannel, ViewerHistory
from recommendations.live import LiveNow
from recommendations.model import Recommender
from recommendations.reasons import Reason, ReasonKind, Recommendation

__all__ = [
    "CoViewingGraph", "CoViewingInputs", "CoViewingPair", "LiveChannel", "LiveNow", "Reason",
    "ReasonKind", "Recommendation", "Recommender", "ViewerHistory", "co_viewers",
]
