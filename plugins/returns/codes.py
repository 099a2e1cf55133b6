"""Code lists of the two returns, as the Department for Education's specifications publish them, and the
groupings its statistical releases print. A code outside these lists is refused before any figure is
worked out."""
from __future__ import annotations

# --- Children in need census ------------------------------------------------------------------------

REFERRAL_SOURCES = frozenset({
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
    "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"})
PRIMARY_NEED = frozenset({"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"})
REASONS_FOR_CLOSURE = frozenset({"RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8"})
BOOLEAN = {"0": False, "1": True, "false": False, "true": True}

#: Category of abuse of a child protection plan, in the order the release prints them.
ABUSE_CATEGORIES = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple",
}

# --- SSDA903: children looked after -----------------------------------------------------------------

SEX = frozenset({"1", "2"})
REASON_NEW_EPISODE = frozenset({"S", "L", "P", "T", "U", "B"})
STARTED = "S"                          # RNE: the child started to be looked after
SAME_PERIOD = "X1"                     # REC: the episode ends and a new one begins in the same period of care
#: Short breaks: an agreed series of short-term placements (V3, V4); the release leaves them out.
SHORT_BREAKS = frozenset({"V3", "V4"})

#: Legal status, grouped as the release's table of children looked after at 31 March.
LEGAL_STATUS = {
    "C1": "Interim care orders",
    "C2": "Full care orders",
    "D1": "Freeing orders",
    "E1": "Placement orders",
    "V2": "Voluntary agreements under section 20",
    "J1": "Youth justice legal statuses",
    "J2": "Youth justice legal statuses",
    "J3": "Youth justice legal statuses",
    "L1": "Detained for child protection",
    "L2": "Detained for child protection",
    "L3": "Detained for child protection",
    "V3": "Short breaks",
    "V4": "Short breaks",
}

CATEGORY_OF_NEED = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

#: Placement type, grouped as the release's table of placements at 31 March.
PLACEMENT = {
    **{c: "Foster placements" for c in ("U1", "U2", "U3", "U4", "U5", "U6")},
    **{c: "Placed for adoption" for c in ("A3", "A4", "A5", "A6")},
    "P1": "Placed with parents or other person with parental responsibility",
    "P2": "Other placements in the community",
    "P3": "Other placements in the community",
    "H5": "Secure units, children's homes and semi-independent living",
    "K1": "Secure units, children's homes and semi-independent living",
    "K2": "Secure units, children's homes and semi-independent living",
    "R1": "Other residential settings",
    "R2": "Other residential settings",
    "R3": "Other residential settings",
    "R5": "Other residential settings",
    "S1": "Residential schools",
    **{c: "Other placements" for c in ("T0", "T1", "T2", "T3", "T4", "Z1")},
}

REASON_EPISODE_CEASED = frozenset({
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48",
    "E4A", "E4B", "E5", "E6", "E7", "E8", "E9", SAME_PERIOD})

MISSING_KINDS = {"M": "missing", "A": "away from placement without authorisation"}


def ordered(groups: dict[str, str]) -> list[str]:
    """A grouping's labels once each, in the order they were listed."""
    return list(dict.fromkeys(groups.values()))
