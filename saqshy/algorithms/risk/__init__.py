"""Fire-safety inspection work queue: a transparent, explainable venue risk score.

Ranks the venues an inspector should visit first in a busy season ("inspect every crowded
facility in this region before New Year").  The score is a plain sum of per-factor points
(:class:`Factor`), all constants live in :class:`RiskWeights` (defaults and their rationale in
:mod:`saqshy.algorithms.risk.weights`), and :func:`rank` orders by total then ``venue_id``, so
the page can show why each venue is where it is and the order is reproducible from what it
shows.  Pure Python, no Django: callers aggregate their rows into :class:`VenueRisk` first.
"""

from saqshy.algorithms.risk.model import FACTOR_CODES, Factor, RiskScore, VenueRisk
from saqshy.algorithms.risk.score import rank, score, urgency_points
from saqshy.algorithms.risk.weights import (
    DEFAULT_KIND_POINTS,
    DEFAULT_WEIGHTS,
    OTHER_KIND,
    SEVERITIES,
    RiskWeights,
)

__all__ = [
    "DEFAULT_KIND_POINTS",
    "DEFAULT_WEIGHTS",
    "FACTOR_CODES",
    "OTHER_KIND",
    "SEVERITIES",
    "Factor",
    "RiskScore",
    "RiskWeights",
    "VenueRisk",
    "rank",
    "score",
    "urgency_points",
]
