import pytest
from django.core.management import call_command
from django.urls import reverse

from clinical import codesets
from clinical.models import DiagnosisCode, ProcedureCode
from clinical.selectors import diagnosis_search, procedure_search
from tests.conftest import login


@pytest.fixture(scope="module")
def _icd_loaded(django_db_setup, django_db_blocker):
    """ICD-10-CM loaded once for this module (6 s), removed after it."""
    with django_db_blocker.unblock():
        result = codesets.load_icd10cm()
    yield result
    with django_db_blocker.unblock():
        DiagnosisCode.objects.all().delete()


@pytest.fixture
def icd(_icd_loaded, db):
    return _icd_loaded


def test_icd10cm_import_loads_every_billable_code(icd):
    assert 74_000 < icd.total < 76_000
    assert DiagnosisCode.objects.get(code="M25.562").description == "Pain in left knee"
    assert (
        DiagnosisCode.objects.get(code="R68.89").description == "Other general symptoms and signs"
    )
    assert not DiagnosisCode.objects.filter(code="M25.56").exists()  # a category, not billable
    again = codesets.load_icd10cm()  # reloading replaces, never duplicates
    assert again.total == icd.total and again.created == 0


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("M25.562", "M25.562"),
        ("m25562", "M25.562"),
        ("r68.89", "R68.89"),
        ("M25.56", "M25.561"),
        ("pain in left knee", "M25.562"),
        ("low back pain", "M54.50"),
        ("headache", "R51.9"),
    ],
)
def test_typeahead_ranking(icd, query, first):
    results = diagnosis_search(query)
    assert results, query
    assert results[0].code == first


def test_typeahead_prefix_lists_the_family_in_order(icd):
    codes = [d.code for d in diagnosis_search("M25.56")]
    assert codes == ["M25.561", "M25.562", "M25.569"]


def test_typeahead_needs_every_word(icd):
    results = diagnosis_search("knee pain left")
    assert results
    assert all(
        {"knee", "pain", "left"} <= set(d.search_text.replace(",", " ").split()) for d in results
    )


@pytest.mark.parametrize("query", ["", "a", "   ", "%", "zzzzqqq", "'; drop table", "knee\x00pain"])
def test_typeahead_odd_input_is_harmless(icd, query):
    assert diagnosis_search(query) == [] or all(
        isinstance(d, DiagnosisCode) for d in diagnosis_search(query)
    )


@pytest.mark.django_db
def test_procedure_codes_fixture():
    codesets.load_programs()
    result = codesets.load_procedure_codes()
    assert result.total >= 100
    knee = ProcedureCode.objects.get(code="73721")
    assert knee.modality == "MRI" and knee.laterality_required
    assert not ProcedureCode.objects.get(code="70551").laterality_required
    modalities = set(ProcedureCode.objects.values_list("modality", flat=True))
    assert modalities == {"CT", "CTA", "MRI", "MRA", "PET", "NM", "ECHO"}
    assert [p.code for p in procedure_search("7372")][:3] == ["73720", "73721", "73722"]
    assert "73721" in [p.code for p in procedure_search("mri knee")]


@pytest.mark.django_db
def test_load_codesets_command_is_idempotent():
    call_command("load_codesets", skip_icd=True)
    call_command("load_codesets", skip_icd=True)
    assert ProcedureCode.objects.filter(code="73721").count() == 1


def test_typeahead_view_partial_and_full_page(client, alice, icd):
    login(client, alice)
    url = reverse("diagnosis_typeahead")
    partial = client.get(url, {"q": "knee pain"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "M25.562" in partial.content.decode()
    page = client.get(url, {"q": "knee pain"})
    assert "<html" in page.content.decode() and "M25.562" in page.content.decode()


@pytest.mark.django_db
def test_typeahead_requires_login(client):
    assert client.get(reverse("diagnosis_typeahead"), {"q": "knee"}).status_code == 302
