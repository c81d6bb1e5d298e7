"""Offline geocoding: Kazakh/Russian/Latin name matching, forward search and reverse look-up.

No Django: the geocoding app feeds it records read from the basemap bundle and the facilities.
"""

from .index import (
    ADDRESS_RADIUS_M,
    PLACE_RADIUS_M,
    STREET_RADIUS_M,
    AddressRecord,
    Hit,
    Names,
    PlaceRecord,
    RegionIndex,
    StreetRecord,
    address_label,
    rank,
)
from .normalise import house_key, key, parse_query, split_street, transliterate
from .sources import Records, records_from_features

__all__ = [
    "ADDRESS_RADIUS_M",
    "PLACE_RADIUS_M",
    "STREET_RADIUS_M",
    "AddressRecord",
    "Hit",
    "Names",
    "PlaceRecord",
    "Records",
    "RegionIndex",
    "StreetRecord",
    "address_label",
    "house_key",
    "key",
    "parse_query",
    "rank",
    "records_from_features",
    "split_street",
    "transliterate",
]
