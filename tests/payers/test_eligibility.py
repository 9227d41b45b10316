"""The eligibility function on a table of cases: no database."""

from datetime import date
from itertools import permutations

import pytest

from payers.eligibility import Answer, CodeRuleFact, Coverage, ProgramWindow, eligibility_answer

RAD = "radiology-cardiology"
ALL_SETTINGS = frozenset({"emergency", "observation", "inpatient"})

COMMERCIAL = Coverage(start=date(2020, 1, 1), end=None, line_of_business="commercial")
MA = Coverage(start=date(2016, 1, 1), end=None, line_of_business="medicare_advantage")
MEDICAID = Coverage(start=date(2020, 1, 1), end=None, line_of_business="medicaid")
DUAL = Coverage(start=date(2020, 1, 1), end=None, line_of_business="dual")
FEP = Coverage(
    start=date(2018, 1, 1),
    end=None,
    line_of_business="fep",
    managed=False,
    not_managed_reason="FEP members are not managed by this program.",
)
BLUECARD = Coverage(start=date(2018, 1, 1), end=None, line_of_business="bluecard", managed=False)
TERMINATED = Coverage(start=date(2019, 1, 1), end=date(2025, 12, 31), line_of_business="commercial")
FUTURE = Coverage(start=date(2027, 1, 1), end=None, line_of_business="commercial")

# A plan that manages every line from 2015 and Medicare Advantage from 06/01/2020 only.
AZ_WINDOWS = (
    ProgramWindow(RAD, "commercial", date(2015, 1, 1)),
    ProgramWindow(RAD, "medicare_advantage", date(2020, 6, 1)),
    ProgramWindow(RAD, "dual", date(2015, 1, 1), end=date(2024, 12, 31)),
)
RULES = (
    CodeRuleFact("73721", "", True, date(2015, 1, 1)),
    CodeRuleFact("72148", "", True, date(2015, 1, 1)),
    # Medicare Advantage exempts 72148 from 2024 on: the line-specific rule wins.
    CodeRuleFact("72148", "medicare_advantage", False, date(2024, 1, 1)),
    # Echo joins the list on 01/01/2027.
    CodeRuleFact("93306", "", True, date(2027, 1, 1)),
    # PET/CT skull-to-thigh leaves the list after 12/31/2025.
    CodeRuleFact("78815", "", True, date(2015, 1, 1), end=date(2025, 12, 31)),
)
D = date(2026, 3, 10)


def answer(coverage, on_date=D, code=None, setting=None, windows=AZ_WINDOWS, active=True):
    return eligibility_answer(
        coverage=coverage,
        program=RAD,
        program_name="Radiology and Cardiology",
        program_active=active,
        windows=windows,
        on_date=on_date,
        code=code,
        rules=RULES,
        setting=setting,
        excluded_settings=ALL_SETTINGS,
    )


@pytest.mark.parametrize(
    ("case", "kwargs", "expected", "reason_part"),
    [
        (
            "commercial, code on the list",
            dict(coverage=COMMERCIAL, code="73721"),
            Answer.REQUIRED,
            "73721",
        ),
        (
            "program level, no code",
            dict(coverage=COMMERCIAL),
            Answer.REQUIRED,
            "on the plan's list",
        ),
        ("MA after the program start", dict(coverage=MA, code="73721"), Answer.REQUIRED, "73721"),
        (
            "MA on the start date",
            dict(coverage=MA, on_date=date(2020, 6, 1), code="73721"),
            Answer.REQUIRED,
            "",
        ),
        (
            "MA the day before the start",
            dict(coverage=MA, on_date=date(2020, 5, 31), code="73721"),
            Answer.NOT_REQUIRED,
            "from 06/01/2020",
        ),
        (
            "MA line-specific exemption wins",
            dict(coverage=MA, code="72148"),
            Answer.NOT_REQUIRED,
            "exempts",
        ),
        (
            "commercial keeps the generic rule",
            dict(coverage=COMMERCIAL, code="72148"),
            Answer.REQUIRED,
            "",
        ),
        (
            "MA before the exemption began",
            dict(coverage=MA, on_date=date(2023, 12, 31), code="72148"),
            Answer.REQUIRED,
            "",
        ),
        (
            "Medicaid: plan does not manage the line",
            dict(coverage=MEDICAID, code="73721"),
            Answer.NOT_MANAGED,
            "line of business",
        ),
        (
            "dual while the window is open",
            dict(coverage=DUAL, on_date=date(2024, 12, 31), code="73721"),
            Answer.REQUIRED,
            "",
        ),
        (
            "dual after the window closed",
            dict(coverage=DUAL, code="73721"),
            Answer.NOT_REQUIRED,
            "no longer manages",
        ),
        ("FEP is not managed", dict(coverage=FEP, code="73721"), Answer.NOT_MANAGED, "FEP members"),
        ("BlueCard is not managed", dict(coverage=BLUECARD), Answer.NOT_MANAGED, "not managed"),
        (
            "terminated: last covered day",
            dict(coverage=TERMINATED, on_date=date(2025, 12, 31), code="73721"),
            Answer.REQUIRED,
            "",
        ),
        (
            "terminated: the day after",
            dict(coverage=TERMINATED, on_date=date(2026, 1, 1), code="73721"),
            Answer.NOT_ELIGIBLE,
            "ended on 12/31/2025",
        ),
        (
            "coverage not started",
            dict(coverage=FUTURE, code="73721"),
            Answer.NOT_ELIGIBLE,
            "begins on 01/01/2027",
        ),
        (
            "emergency room excluded",
            dict(coverage=COMMERCIAL, code="73721", setting="emergency"),
            Answer.NOT_REQUIRED,
            "emergency room",
        ),
        (
            "observation excluded",
            dict(coverage=COMMERCIAL, code="73721", setting="observation"),
            Answer.NOT_REQUIRED,
            "observation",
        ),
        (
            "inpatient excluded",
            dict(coverage=COMMERCIAL, code="73721", setting="inpatient"),
            Answer.NOT_REQUIRED,
            "inpatient",
        ),
        (
            "hospital outpatient is not excluded",
            dict(coverage=COMMERCIAL, code="73721", setting="hospital_outpatient"),
            Answer.REQUIRED,
            "",
        ),
        (
            "code not on the list",
            dict(coverage=COMMERCIAL, code="70450"),
            Answer.NOT_REQUIRED,
            "not on the plan's precertification list",
        ),
        (
            "rule not yet effective",
            dict(coverage=COMMERCIAL, on_date=date(2026, 12, 31), code="93306"),
            Answer.NOT_REQUIRED,
            "not on the plan's",
        ),
        (
            "rule effective that day",
            dict(coverage=COMMERCIAL, on_date=date(2027, 1, 1), code="93306"),
            Answer.REQUIRED,
            "",
        ),
        (
            "rule on its end date",
            dict(coverage=COMMERCIAL, on_date=date(2025, 12, 31), code="78815"),
            Answer.REQUIRED,
            "",
        ),
        (
            "rule after its end date",
            dict(coverage=COMMERCIAL, on_date=date(2026, 1, 1), code="78815"),
            Answer.NOT_REQUIRED,
            "",
        ),
        (
            "program not handled in this portal",
            dict(coverage=COMMERCIAL, code="73721", active=False),
            Answer.NOT_MANAGED,
            "not handled through this portal",
        ),
        (
            "plan manages no line for this program",
            dict(coverage=COMMERCIAL, windows=()),
            Answer.NOT_MANAGED,
            "",
        ),
    ],
)
def test_eligibility(case, kwargs, expected, reason_part):
    result = answer(**kwargs)
    assert result.answer == expected, f"{case}: {result.reason}"
    assert reason_part in result.reason


def test_a_line_specific_window_replaces_the_plan_wide_one():
    windows = (
        ProgramWindow(RAD, "", date(2015, 1, 1)),
        ProgramWindow(RAD, "medicare_advantage", date(2020, 6, 1)),
    )
    assert answer(MA, on_date=date(2020, 5, 31), windows=windows).answer == Answer.NOT_REQUIRED
    assert answer(MA, on_date=date(2020, 6, 1), windows=windows).answer == Answer.REQUIRED
    assert answer(COMMERCIAL, on_date=date(2020, 5, 31), windows=windows).answer == Answer.REQUIRED
    assert answer(MEDICAID, windows=windows).answer == Answer.REQUIRED  # the plan-wide window


def test_not_eligible_wins_over_not_managed():
    # A terminated FEP member is first of all not covered.
    ended_fep = Coverage(
        start=date(2018, 1, 1), end=date(2020, 1, 1), line_of_business="fep", managed=False
    )
    assert answer(ended_fep).answer == Answer.NOT_ELIGIBLE


def test_each_answer_has_a_label():
    assert {a.label for a in Answer} == {
        "Authorization is required",
        "Authorization is not required",
        "Not managed by this program: follow the member's ID card",
        "Not eligible on that date",
    }


def _code_answer(rules, coverage=MA, on_date=D, code="72148"):
    return eligibility_answer(
        coverage=coverage,
        program=RAD,
        program_name="Radiology and Cardiology",
        program_active=True,
        windows=AZ_WINDOWS,
        on_date=on_date,
        code=code,
        rules=rules,
    )


def _every_order(rules):
    return {_code_answer(list(order)).reason for order in permutations(rules)}


# Medicare Advantage exempted 72148 in 2018; the plan-wide list added it again in 2024.
MA_EXEMPT_2018 = CodeRuleFact("72148", "medicare_advantage", False, date(2018, 1, 1))
ALL_LINES_2024 = CodeRuleFact("72148", "", True, date(2024, 1, 1))
ALL_LINES_2015 = CodeRuleFact("72148", "", True, date(2015, 1, 1))


def test_a_line_rule_beats_a_later_plan_wide_rule():
    # The line's own rule wins even when the plan-wide one started later: a plan that wants
    # Medicare Advantage back on the list ends or changes the line's rule.
    assert _every_order([MA_EXEMPT_2018, ALL_LINES_2024, ALL_LINES_2015]) == {
        "The plan exempts code 72148 from precertification."
    }
    # ... and does not apply to the other lines.
    assert _code_answer([MA_EXEMPT_2018, ALL_LINES_2024], coverage=COMMERCIAL).answer == (
        Answer.REQUIRED
    )


def test_a_rule_for_another_line_is_ignored():
    medicaid_only = CodeRuleFact("72148", "medicaid", False, date(2024, 1, 1))
    assert _every_order([ALL_LINES_2015, medicaid_only]) == {
        "Code 72148 requires precertification for this plan."
    }


def test_the_latest_start_wins_among_rules_of_the_same_reach():
    line_2016 = CodeRuleFact("72148", "medicare_advantage", True, date(2016, 1, 1))
    assert _every_order([MA_EXEMPT_2018, line_2016, ALL_LINES_2024]) == {
        "The plan exempts code 72148 from precertification."
    }
    exempt_2025 = CodeRuleFact("72148", "", False, date(2025, 1, 1))
    assert _every_order([ALL_LINES_2015, exempt_2025, ALL_LINES_2024]) == {
        "The plan exempts code 72148 from precertification."
    }
    assert (
        _code_answer(
            [ALL_LINES_2015, exempt_2025], coverage=COMMERCIAL, on_date=date(2024, 12, 31)
        ).answer
        == Answer.REQUIRED
    )


def test_an_ended_rule_listed_first_does_not_hide_the_current_one():
    ended = CodeRuleFact(
        "72148", "medicare_advantage", False, date(2018, 1, 1), end=date(2023, 12, 31)
    )
    other_code = CodeRuleFact("73721", "medicare_advantage", False, date(2018, 1, 1))
    current = CodeRuleFact("72148", "", True, date(2015, 1, 1))
    assert _every_order([ended, other_code, current]) == {
        "Code 72148 requires precertification for this plan."
    }
    assert _code_answer([ended, current], on_date=date(2023, 12, 31)).answer == Answer.NOT_REQUIRED


def test_a_tie_does_not_depend_on_row_order():
    # Two rules of the same reach starting the same day (the database refuses this within one
    # program, but the function does not rely on it): the one that asks for authorization wins.
    exempt = CodeRuleFact("72148", "", False, date(2024, 1, 1))
    required = CodeRuleFact("72148", "", True, date(2024, 1, 1))
    assert _every_order([exempt, required]) == {
        "Code 72148 requires precertification for this plan."
    }


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        (
            dict(coverage=FUTURE, on_date=date(2026, 12, 31)),
            "The member is not covered on 12/31/2026: coverage begins on 01/01/2027.",
        ),
        (
            dict(coverage=TERMINATED, on_date=date(2026, 1, 1)),
            "The member is not covered on 01/01/2026: coverage ended on 12/31/2025.",
        ),
        (dict(coverage=FEP), "FEP members are not managed by this program."),
        (dict(coverage=BLUECARD), "This member's benefit plan is not managed by this program."),
        (
            dict(coverage=COMMERCIAL, active=False),
            "Radiology and Cardiology requests are not handled through this portal.",
        ),
        (
            dict(coverage=MEDICAID),
            "The plan does not manage Radiology and Cardiology for this member's line of business.",
        ),
        (
            dict(coverage=MA, on_date=date(2020, 5, 31)),
            "No precertification is needed: the program manages dates of service from 06/01/2020.",
        ),
        (
            dict(coverage=DUAL, on_date=date(2025, 1, 1)),
            "No precertification is needed: the program no longer manages this date of service.",
        ),
        (
            dict(coverage=COMMERCIAL, setting="emergency"),
            "Imaging in the emergency room does not require precertification.",
        ),
        (
            dict(coverage=COMMERCIAL, setting="observation"),
            "Imaging during a 23-hour observation stay does not require precertification.",
        ),
        (
            dict(coverage=COMMERCIAL, setting="inpatient"),
            "Imaging during an inpatient stay does not require precertification.",
        ),
        (
            dict(coverage=COMMERCIAL),
            "Precertification is required for Radiology and Cardiology services"
            " on the plan's list.",
        ),
        (
            dict(coverage=COMMERCIAL, code="70450"),
            "Code 70450 is not on the plan's precertification list for this date of service.",
        ),
        (
            dict(coverage=MA, code="72148"),
            "The plan exempts code 72148 from precertification.",
        ),
        (
            dict(coverage=COMMERCIAL, code="73721"),
            "Code 73721 requires precertification for this plan.",
        ),
    ],
)
def test_the_words_offices_read(kwargs, reason):
    assert answer(**kwargs).reason == reason


def test_a_setting_excluded_without_its_own_words_is_named():
    result = eligibility_answer(
        coverage=COMMERCIAL,
        program=RAD,
        program_name="Radiology and Cardiology",
        program_active=True,
        windows=AZ_WINDOWS,
        on_date=D,
        code="73721",
        rules=RULES,
        setting="ambulance",
        excluded_settings=frozenset({"ambulance"}),
    )
    assert result.answer == Answer.NOT_REQUIRED
    assert result.reason == "Imaging in the ambulance setting does not require precertification."
    assert answer(COMMERCIAL, code="73721", setting="ambulance").answer == Answer.REQUIRED


def test_a_window_of_another_program_is_ignored():
    cardiology_only = (ProgramWindow("sleep", "commercial", date(2015, 1, 1)),)
    assert answer(COMMERCIAL, windows=cardiology_only).answer == Answer.NOT_MANAGED


def test_coverage_on_its_first_and_last_days():
    ends = Coverage(start=date(2026, 3, 10), end=date(2026, 3, 10), line_of_business="commercial")
    assert answer(ends, on_date=date(2026, 3, 10)).answer == Answer.REQUIRED
    assert answer(ends, on_date=date(2026, 3, 9)).answer == Answer.NOT_ELIGIBLE
    assert answer(ends, on_date=date(2026, 3, 11)).answer == Answer.NOT_ELIGIBLE
    assert answer(COMMERCIAL).label == "Authorization is required"
