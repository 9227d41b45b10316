import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal import directory as d
from portal.models import DirectoryProvider
from portal.npi import npi_check_digit


def _npi(stem: str) -> str:
    return stem + npi_check_digit(stem)


def _row(**values) -> dict:
    base = {
        d.COL_NPI: _npi("100000001"),
        d.COL_ENTITY: "1",
        d.COL_ORG: "",
        d.COL_LAST: "ALVAREZ",
        d.COL_FIRST: "MARIA",
        d.COL_CREDENTIAL: "M.D.",
        d.COL_ADDR1: "2400 E CAMELBACK RD",
        d.COL_ADDR2: "SUITE 210",
        d.COL_CITY: "PHOENIX",
        d.COL_STATE: "AZ",
        d.COL_ZIP: "850161234",
        d.COL_PHONE: "6025550100",
        d.COL_FAX: "6025550101",
        d.COL_EIN: "<UNAVAIL>",
        d.COL_TAXONOMY: "207Q00000X",
        d.COL_DEACTIVATED: "",
        d.COL_REACTIVATED: "",
        "Provider Name Prefix Text": "DR.",  # an NPPES column we do not read
    }
    base.update({getattr(d, k): v for k, v in values.items()})
    return base


def _write(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_import_reads_good_rows_and_reports_the_rest(tmp_path):
    rows = [
        _row(),
        _row(
            COL_NPI=_npi("100000002"),
            COL_ENTITY="2",
            COL_ORG="CAMELBACK MRI & CT CENTER",
            COL_LAST="",
            COL_FIRST="",
            COL_EIN="861234567",
            COL_TAXONOMY="261QR0200X",
        ),
        _row(
            COL_NPI=_npi("100000003"),
            COL_ENTITY="2",
            COL_ORG="ST AGNES HOSPITAL",
            COL_LAST="",
            COL_FIRST="",
            COL_TAXONOMY="282N00000X",
        ),
        _row(COL_NPI="1234567890"),  # bad check digit
        _row(COL_NPI=_npi("100000004"), COL_ENTITY=""),  # deactivated: NPPES blanks the row
        _row(COL_NPI=_npi("100000005"), COL_DEACTIVATED="05/01/2020"),
        _row(COL_NPI=_npi("100000006"), COL_DEACTIVATED="05/01/2020", COL_REACTIVATED="06/01/2020"),
        _row(COL_NPI=_npi("100000007"), COL_STATE="ON"),  # Ontario: outside the US
        _row(COL_NPI=_npi("100000008"), COL_ZIP="850"),
    ]
    out, err = StringIO(), StringIO()
    call_command(
        "import_nppes", str(_write(tmp_path / "npi.csv", rows)), stdout=out, stderr=err, verbosity=2
    )
    assert "4 records created or updated, 5 rows skipped" in out.getvalue()
    assert "1234567890 is not a valid NPI" in err.getvalue()

    maria = DirectoryProvider.objects.get(npi=_npi("100000001"))
    assert maria.display_name == "Alvarez, Maria, MD"
    assert maria.address_line1 == "2400 E Camelback Rd"
    assert maria.phone == "(602) 555-0100"
    assert maria.zip_code == "850161234"
    assert maria.tin == ""  # NPPES redacts EINs as <UNAVAIL>
    assert maria.site_type == ""

    center = DirectoryProvider.objects.get(npi=_npi("100000002"))
    assert center.display_name == "Camelback MRI & CT Center"
    assert center.site_type == DirectoryProvider.SiteType.FREESTANDING_IMAGING
    assert center.tin == "861234567"
    hospital = DirectoryProvider.objects.get(npi=_npi("100000003"))
    assert hospital.site_type == DirectoryProvider.SiteType.HOSPITAL_OUTPATIENT
    assert DirectoryProvider.objects.filter(npi=_npi("100000006")).exists()  # reactivated


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(tmp_path):
    path = tmp_path / "npi.csv"
    call_command("import_nppes", str(_write(path, [_row()])), stdout=StringIO())
    call_command(
        "import_nppes", str(_write(path, [_row(COL_ADDR1="1 NEW ADDRESS WAY")])), stdout=StringIO()
    )
    assert DirectoryProvider.objects.count() == 1
    assert DirectoryProvider.objects.get().address_line1 == "1 New Address Way"


@pytest.mark.django_db
def test_reimport_keeps_the_modalities_entered_by_hand(tmp_path):
    path = _write(tmp_path / "npi.csv", [_row()])
    call_command("import_nppes", str(path), stdout=StringIO())
    DirectoryProvider.objects.update(modalities=["CT", "MRI"])  # NPPES does not carry them
    call_command("import_nppes", str(path), stdout=StringIO())
    assert DirectoryProvider.objects.get().modalities == ["CT", "MRI"]


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_nppes(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="lacks NPPES columns"):
        call_command("import_nppes", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_nppes", str(tmp_path / "missing.csv"))
