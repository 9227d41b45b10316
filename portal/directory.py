"""Reading NPPES-format provider rows into directory records (pure: no database).

The CMS NPPES "Data Dissemination" file has some 330 columns; these are the ones we read. Any
other column is ignored, so a full monthly file and a small extract import the same way.

| column (header text exactly as NPPES writes it)                    | required | field           |
| ------------------------------------------------------------------ | -------- | --------------- |
| NPI                                                                | yes      | npi             |
| Entity Type Code (1 individual, 2 organization; blank: deactivated)| yes      | entity_type     |
| Provider Organization Name (Legal Business Name)                   | type 2   | organization    |
| Provider Last Name (Legal Name)                                    | type 1   | last_name       |
| Provider First Name                                                | no       | first_name      |
| Provider Credential Text                                           | no       | credential      |
| Provider First Line Business Practice Location Address             | yes      | address_line1   |
| Provider Second Line Business Practice Location Address            | no       | address_line2   |
| Provider Business Practice Location Address City Name              | yes      | city            |
| Provider Business Practice Location Address State Name             | yes (US) | state           |
| Provider Business Practice Location Address Postal Code            | yes      | zip_code        |
| Provider Business Practice Location Address Telephone Number       | no       | phone           |
| Provider Business Practice Location Address Fax Number             | no       | fax             |
| Employer Identification Number (EIN)                               | no       | tin             |
| Healthcare Provider Taxonomy Code_1                                | no       | taxonomy, site  |
| NPI Deactivation Date / NPI Reactivation Date                      | no       | skip if off     |
"""

import re
from dataclasses import dataclass

from localflavor.us.us_states import CONTIGUOUS_STATES, NON_CONTIGUOUS_STATES, US_TERRITORIES

from portal.npi import npi_is_valid

COL_NPI = "NPI"
COL_ENTITY = "Entity Type Code"
COL_ORG = "Provider Organization Name (Legal Business Name)"
COL_LAST = "Provider Last Name (Legal Name)"
COL_FIRST = "Provider First Name"
COL_CREDENTIAL = "Provider Credential Text"
COL_ADDR1 = "Provider First Line Business Practice Location Address"
COL_ADDR2 = "Provider Second Line Business Practice Location Address"
COL_CITY = "Provider Business Practice Location Address City Name"
COL_STATE = "Provider Business Practice Location Address State Name"
COL_ZIP = "Provider Business Practice Location Address Postal Code"
COL_PHONE = "Provider Business Practice Location Address Telephone Number"
COL_FAX = "Provider Business Practice Location Address Fax Number"
COL_EIN = "Employer Identification Number (EIN)"
COL_TAXONOMY = "Healthcare Provider Taxonomy Code_1"
COL_DEACTIVATED = "NPI Deactivation Date"
COL_REACTIVATED = "NPI Reactivation Date"

REQUIRED_COLUMNS = (COL_NPI, COL_ENTITY, COL_ADDR1, COL_CITY, COL_STATE, COL_ZIP)
US_STATES = frozenset(
    code for code, _ in CONTIGUOUS_STATES + NON_CONTIGUOUS_STATES + US_TERRITORIES
)

# Taxonomy codes (NUCC) that make an organization a rendering site of one of our kinds.
SITE_TYPE_BY_TAXONOMY_PREFIX = (
    ("261QR02", "freestanding_imaging"),  # radiology clinic/center, incl. mobile and mammography
    ("261QR0200X", "freestanding_imaging"),
    ("282N", "hospital_outpatient"),  # general acute care hospitals
    ("283", "hospital_outpatient"),  # rehabilitation and other hospitals
    ("193", "physician_office"),  # single- and multi-specialty groups
    ("261QP2300X", "physician_office"),  # primary care clinic
    ("261QM1300X", "physician_office"),  # multi-specialty clinic
)

_DIGITS = re.compile(r"\D")


class RowError(ValueError):
    """A row that cannot become a directory record; the message says why."""


@dataclass(frozen=True)
class DirectoryRow:
    npi: str
    entity_type: str
    first_name: str
    last_name: str
    credential: str
    organization_name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    phone: str
    fax: str
    tin: str
    taxonomy_code: str
    site_type: str


def _phone(value: str) -> str:
    digits = _DIGITS.sub("", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return ""
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def site_type_for(entity_type: str, taxonomy: str) -> str:
    if entity_type != "2":
        return ""
    for prefix, site_type in SITE_TYPE_BY_TAXONOMY_PREFIX:
        if taxonomy.startswith(prefix):
            return site_type
    return ""


_KEEP_UPPER = frozenset(
    "MRI CT PET MRA CTA PC LLC PLLC LLP PA MD DO NP DPM II III IV USA NE NW SE SW".split()
)


def _title(value: str) -> str:
    # NPPES writes names and addresses in capitals; keep them readable but leave mixed case alone.
    value = " ".join(value.split())
    if not value.isupper():
        return value
    return " ".join(w if w in _KEEP_UPPER else w.title() for w in value.split(" "))


def parse_row(raw: dict[str, str]) -> DirectoryRow:
    get = lambda col: (raw.get(col) or "").strip()  # noqa: E731
    npi = get(COL_NPI)
    if not npi_is_valid(npi):
        raise RowError(f"NPI {npi or '(blank)'} is not a valid NPI")
    entity = get(COL_ENTITY)
    if entity not in ("1", "2"):
        raise RowError(f"NPI {npi} has no entity type (deactivated)")
    if get(COL_DEACTIVATED) and not get(COL_REACTIVATED):
        raise RowError(f"NPI {npi} is deactivated")
    state = get(COL_STATE).upper()
    if state not in US_STATES:
        raise RowError(f"NPI {npi} practice location is outside the US states ({state or 'blank'})")
    zip_code = _DIGITS.sub("", get(COL_ZIP))
    if len(zip_code) not in (5, 9):
        raise RowError(f"NPI {npi} has no valid zip code")
    org, last = _title(get(COL_ORG)), _title(get(COL_LAST))
    if entity == "2" and not org:
        raise RowError(f"NPI {npi} is an organization without a name")
    if entity == "1" and not last:
        raise RowError(f"NPI {npi} is an individual without a last name")
    address1, city = _title(get(COL_ADDR1)), _title(get(COL_CITY))
    if not address1 or not city:
        raise RowError(f"NPI {npi} has no practice address")
    taxonomy = get(COL_TAXONOMY).upper()
    tin = _DIGITS.sub("", get(COL_EIN))
    return DirectoryRow(
        npi=npi,
        entity_type=entity,
        first_name=_title(get(COL_FIRST)),
        last_name=last,
        credential=get(COL_CREDENTIAL).replace(".", "")[:40],
        organization_name=org if entity == "2" else "",
        address_line1=address1,
        address_line2=_title(get(COL_ADDR2)),
        city=city,
        state=state,
        zip_code=zip_code,
        phone=_phone(get(COL_PHONE)),
        fax=_phone(get(COL_FAX)),
        tin=tin if len(tin) == 9 else "",
        taxonomy_code=taxonomy[:10],
        site_type=site_type_for(entity, taxonomy),
    )
