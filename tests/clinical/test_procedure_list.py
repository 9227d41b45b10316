"""The procedure list (fixtures/procedure_codes.csv) against the modalities in scope of
reference/003: every kind of study it names has its codes, each with the right modality, and
imaging used during an interventional procedure or surgery (excluded) is not offered."""

import csv

import pytest
from django.utils import timezone

from clinical import codesets
from clinical.models import ProcedureCode
from clinical.selectors import procedure_by_code, procedure_search
from payers.eligibility import Answer
from payers.models import CodeRule, HealthPlan, Member
from payers.selectors import eligibility_for_procedure

ROWS = {row["code"]: row for row in csv.DictReader(codesets.PROCEDURE_CODES_CSV.open())}

# reference/003 "Which modalities require review?", one code (or more) for each item.
IN_SCOPE = [
    ("myocardial perfusion imaging", "78452", "NM"),
    ("cardiac blood pool imaging", "78472", "NM"),
    ("infarct imaging", "78469", "NM"),
    ("PET myocardial imaging", "78491", "PET"),
    ("PET myocardial imaging with CT", "78431", "PET"),
    ("computed tomography", "70450", "CT"),
    ("CT angiography", "70496", "CTA"),
    ("derived fractional flow reserve (FFR-CT)", "75580", "CTA"),
    ("structural CT", "75572", "CT"),
    ("quantitative evaluation of coronary calcification", "75571", "CT"),
    ("magnetic resonance imaging", "70551", "MRI"),
    ("magnetic resonance angiography", "70544", "MRA"),
    ("magnetic resonance spectroscopy", "76390", "MRI"),
    ("functional MRI", "70555", "MRI"),
    ("stress echocardiography", "93350", "ECHO"),
    ("resting echocardiography (TTE)", "93306", "ECHO"),
    ("transesophageal echocardiography (TEE)", "93312", "ECHO"),
]

# "Advanced imaging used during interventional procedures or surgery" is excluded: codes that
# only ever describe such imaging are not on the list.
DURING_PROCEDURES = [
    "93318",  # TEE monitoring during surgery or a procedure
    "93355",  # TEE guiding a transcatheter structural heart procedure
    "77011",  # CT guidance for a stereotactic procedure
    "77012",  # CT guidance for needle placement
    "77013",  # CT guidance for tissue ablation
    "77021",  # MR guidance for needle placement
    "77022",  # MR guidance for tissue ablation
]


@pytest.mark.parametrize(("what", "code", "modality"), IN_SCOPE)
def test_every_modality_in_scope_has_its_codes(what, code, modality):
    assert code in ROWS, what
    assert ROWS[code]["modality"] == modality, what


@pytest.mark.parametrize("code", DURING_PROCEDURES)
def test_imaging_during_procedures_is_not_on_the_list(code):
    assert code not in ROWS


def test_every_row_names_its_modality_in_its_description():
    """A typo in the modality column (CT for a CTA, MRI for an MRA...) shows against the words."""
    words = {
        "CTA": ("CT angiogram", "Coronary CT angiography", "FFR-CT"),
        "MRA": ("MR angiogram",),
        "MRI": ("MRI", "MR spectroscopy"),
        "CT": ("CT",),
        "PET": ("PET",),
        "ECHO": ("echo", "TEE"),
        "NM": ("scan", "SPECT"),
    }
    wrong = [
        (code, row["modality"], row["description"])
        for code, row in ROWS.items()
        if not any(w in row["description"] for w in words[row["modality"]])
        or (row["modality"] == "CT" and "angiogra" in row["description"])
        or (row["modality"] == "MRI" and "angiogra" in row["description"])
        or (row["modality"] == "NM" and "PET" in row["description"])
    ]
    assert wrong == []


def test_ffr_ct_has_our_own_description_not_the_cpt_descriptor():
    description = ROWS["75580"]["description"]
    assert "FFR-CT" in description and "coronary CT angiogram" in description
    assert "augmentative software analysis" not in description.lower()  # CPT's wording
    assert len(description) <= ProcedureCode._meta.get_field("description").max_length


@pytest.mark.django_db
def test_a_code_taken_off_the_list_is_no_longer_offered():
    codesets.load_programs()
    codesets.load_procedure_codes()
    program = ProcedureCode.objects.get(code="73721").program
    old = ProcedureCode.objects.create(
        code="93318",
        description="TEE monitoring during surgery",
        modality="ECHO",
        body_region="heart",
        contrast="not_applicable",
        program=program,
    )
    codesets.load_procedure_codes()  # as an earlier list loaded it: kept, but not offered
    old.refresh_from_db()
    assert not old.is_active
    assert procedure_by_code("93318") is None
    assert procedure_by_code("93318", active_only=False) == old
    assert "93318" not in [p.code for p in procedure_search("TEE")]
    assert ProcedureCode.objects.get(code="73721").is_active


def test_ffr_ct_is_offered_and_on_the_demo_plans_lists(demo_payers):
    assert [p.code for p in procedure_search("FFR")][:1] == ["75580"]
    ffr = ProcedureCode.objects.get(code="75580")
    for plan in HealthPlan.objects.all():
        assert CodeRule.objects.filter(health_plan=plan, procedure_code=ffr).exists(), plan
    member = Member.objects.get(member_id="SAG100200301")
    answer = eligibility_for_procedure(
        member=member, procedure=ffr, on_date=timezone.localdate(), setting="freestanding"
    )
    assert answer.answer == Answer.REQUIRED
