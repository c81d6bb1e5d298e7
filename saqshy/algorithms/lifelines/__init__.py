"""Lifelines arithmetic without Django: the heating curve, service areas, people affected."""

from saqshy.algorithms.lifelines.areas import SitePoint, service_areas
from saqshy.algorithms.lifelines.curve import HeatingCurve
from saqshy.algorithms.lifelines.people import Building, people_affected

__all__ = ["Building", "HeatingCurve", "SitePoint", "people_affected", "service_areas"]
