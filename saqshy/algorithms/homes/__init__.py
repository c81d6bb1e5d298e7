"""Placing home devices in buildings: which buildings are homes, and how many devices each gets.

Pure Python (no Django): the demo loader adapts basemap buildings in and writes the result.
"""

from .allocate import Allocation, BuildingWeight, allocate, likely_home, weight_of

__all__ = ["Allocation", "BuildingWeight", "allocate", "likely_home", "weight_of"]
