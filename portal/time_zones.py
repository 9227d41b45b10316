"""The US time zones an office can be in, and the one each state starts with.

Times are stored in UTC; each page shows them in the office's zone (portal.middleware).
"""

DEFAULT_TIME_ZONE = "America/New_York"

US_TIME_ZONES = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Mountain, Arizona (no daylight saving time)"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("America/Adak", "Hawaii-Aleutian, Aleutian Islands"),
    ("Pacific/Honolulu", "Hawaii (no daylight saving time)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico, U.S. Virgin Islands)"),
    ("Pacific/Guam", "Chamorro (Guam, Northern Mariana Islands)"),
    ("Pacific/Pago_Pago", "Samoa"),
]

# The zone most of each state's people live in; an office on the other side of a state line
# inside its state (the Florida panhandle, west Texas, eastern Oregon...) changes it on its
# account page. Military addresses (AA, AE, AP) have no zone of their own.
_BY_ZONE = {
    "America/New_York": "CT DC DE FL GA IN KY MA MD ME MI NC NH NJ NY OH PA RI SC VA VT WV",
    "America/Chicago": "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI",
    "America/Denver": "CO ID MT NM UT WY",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
    "America/Puerto_Rico": "PR VI",
    "Pacific/Guam": "GU MP",
    "Pacific/Pago_Pago": "AS",
}
STATE_TIME_ZONES = {state: zone for zone, states in _BY_ZONE.items() for state in states.split()}


def zone_for_state(state: str) -> str:
    """The time zone an office in `state` starts with."""
    return STATE_TIME_ZONES.get(state, DEFAULT_TIME_ZONE)
