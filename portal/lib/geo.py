"""Distances between US zip codes, from the centroids the `zipcodes` package ships (offline)."""

from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

import zipcodes

EARTH_RADIUS_MILES = 3958.8


@lru_cache(maxsize=4096)
def zip_centroid(zip5: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a 5-digit zip code, or None when it is not a known zip."""
    if len(zip5) != 5 or not zip5.isdigit():
        return None
    found = zipcodes.matching(zip5)
    if not found or not found[0].get("lat"):
        return None
    return float(found[0]["lat"]), float(found[0]["long"])


def zip_miles(a: str, b: str) -> float | None:
    """Great-circle miles between two zip codes' centroids; None when either is unknown."""
    here, there = zip_centroid(a[:5]), zip_centroid(b[:5])
    if here is None or there is None:
        return None
    (lat1, lon1), (lat2, lon2) = (tuple(map(radians, p)) for p in (here, there))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(sqrt(h))
