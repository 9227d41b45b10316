"""Reads for payer rules and members; facts for the pure eligibility functions."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from clinical.models import ProcedureCode, Program
from clinical.selectors import programs
from payers.eligibility import (
    CodeRuleFact,
    Coverage,
    Eligibility,
    ProgramWindow,
    eligibility_answer,
)
from payers.models import (
    CodeRule,
    HealthPlan,
    Member,
    NetworkParticipation,
    PlanPolicy,
    PlanProgram,
    normalize_member_id,
)
from portal.lib import refcache
from portal.lib.dates import add_business_days
from portal.lib.geo import zip_miles
from portal.lib.ratelimit import over_limit
from portal.models import DirectoryProvider

# Every page that finds a member by ID and date of birth (the eligibility lookup, the wizard's
# member step) counts against the same limit per user: guesses cannot be spread over pages.
LOOKUPS_PER_MINUTE = 30
# How far ahead a date of service can be answered for.
SERVICE_DAYS_AHEAD = 365

logger = logging.getLogger("portal.security")


class LookupThrottledError(Exception):
    """Too many member lookups by this user in the last minute."""

    message = "Too many patient lookups in a short time. Wait a minute, then try again."


def member_lookup(
    *,
    user,
    health_plan: HealthPlan,
    member_id: str,
    date_of_birth: date,
    last_name: str | None = None,
) -> Member | None:
    """The member with this ID and date of birth (and last name, when given), or None. Never says
    which was wrong. Raises LookupThrottledError past the per-user limit; a failed lookup is logged
    (who, which plan; not what was typed)."""
    if over_limit(f"member-lookup:{user.pk}", limit=LOOKUPS_PER_MINUTE, window_seconds=60):
        logger.warning("member lookup throttled: user %s, plan %s", user.pk, health_plan.pk)
        raise LookupThrottledError
    member = (
        Member.objects.select_related("benefit_plan", "health_plan")
        .filter(
            health_plan=health_plan,
            member_id=normalize_member_id(member_id),
            date_of_birth=date_of_birth,
        )
        .first()
    )
    if member is not None and last_name is not None:
        if member.last_name.lower() != last_name.strip().lower():
            member = None
    if member is None:
        logger.warning("member lookup failed: user %s, plan %s", user.pk, health_plan.pk)
    return member


def coverage_of(member: Member) -> Coverage:
    bp = member.benefit_plan
    return Coverage(
        start=member.coverage_start,
        end=member.coverage_end,
        line_of_business=bp.line_of_business,
        managed=bp.managed,
        not_managed_reason=bp.not_managed_reason,
    )


# Plans and their rules are read on every wizard step and kept between requests
# (portal/lib/refcache.py): any change to them is seen by the next request.


def health_plans() -> list[HealthPlan]:
    """Every health plan, in the model's order."""
    return refcache.cached(("health_plans",), lambda: list(HealthPlan.objects.all()))


def health_plan_by_pk(pk: int) -> HealthPlan:
    for plan in health_plans():
        if plan.pk == pk:
            return plan
    raise HealthPlan.DoesNotExist(f"No health plan {pk}")


def program_windows(*, health_plan: HealthPlan) -> list[ProgramWindow]:
    return refcache.cached(
        ("program_windows", health_plan.pk),
        lambda: [
            ProgramWindow(program=code, line_of_business=lob, start=start, end=end)
            for code, lob, start, end in PlanProgram.objects.filter(health_plan=health_plan)
            .order_by()  # the pure function decides; no join for the model's ordering
            .values_list("program__code", "line_of_business", "effective_date", "end_date")
        ],
    )


def code_rules(*, health_plan: HealthPlan, program: Program, code: str) -> list[CodeRuleFact]:
    return refcache.cached(
        ("code_rules", health_plan.pk, program.pk, code),
        lambda: [
            CodeRuleFact(code=code, line_of_business=lob, requires_auth=req, start=start, end=end)
            for lob, req, start, end in CodeRule.objects.filter(
                health_plan=health_plan, program=program, procedure_code__code=code
            )
            .order_by()
            .values_list("line_of_business", "requires_auth", "effective_date", "end_date")
        ],
    )


def _plan_policies(health_plan: HealthPlan) -> dict[str, PlanPolicy]:
    return refcache.cached(
        ("plan_policies", health_plan.pk),
        lambda: {
            p.line_of_business: p
            for p in PlanPolicy.objects.filter(health_plan=health_plan).order_by()
        },
    )


def plan_policy(*, health_plan: HealthPlan, line_of_business: str) -> PlanPolicy:
    """The policy for the line of business, else the plan's default, else the model defaults."""
    policies = _plan_policies(health_plan)
    return policies.get(line_of_business) or policies.get("") or PlanPolicy(health_plan=health_plan)


def retro_limit(dos: date, policy: PlanPolicy) -> date:
    """The last day a retrospective request for that date of service is taken."""
    if policy.retro_window_unit == PlanPolicy.RetroUnit.BUSINESS_DAYS:
        return add_business_days(dos, policy.retro_window)
    return dos + timedelta(days=policy.retro_window)


def retro_opens(policy: PlanPolicy, today: date) -> date:
    """The earliest date of service the policy still takes a request for today."""
    day = today - timedelta(days=policy.retro_window * 3 + 10)  # before it, whatever the unit
    while retro_limit(day, policy) < today:
        day += timedelta(days=1)
    return day


def service_dates(*, health_plan: HealthPlan, today: date) -> tuple[date, date]:
    """The dates of service the plan's rules can answer today: from the earliest its widest
    retrospective window still takes, to a year ahead (code and coverage lists are not known
    further out)."""
    policies = list(_plan_policies(health_plan).values()) or [PlanPolicy(health_plan=health_plan)]
    earliest = min(retro_opens(policy, today) for policy in policies)
    return earliest, today + timedelta(days=SERVICE_DAYS_AHEAD)


@dataclass(frozen=True)
class ProgramEligibility:
    program: Program
    eligibility: Eligibility


def eligibility_by_program(*, member: Member, on_date: date) -> list[ProgramEligibility]:
    """reference/002 "Eligibility Look Up": one answer per program."""
    coverage = coverage_of(member)
    windows = program_windows(health_plan=member.health_plan)
    return [
        ProgramEligibility(
            program=program,
            eligibility=eligibility_answer(
                coverage=coverage,
                program=program.code,
                program_name=program.name,
                program_active=program.is_active,
                windows=windows,
                on_date=on_date,
            ),
        )
        for program in programs()
    ]


def eligibility_for_procedure(
    *,
    member: Member,
    procedure: ProcedureCode,
    on_date: date,
    setting: str | None = None,
    policy: PlanPolicy | None = None,
) -> Eligibility:
    """`policy`: the member's plan policy when the caller has read it already."""
    coverage = coverage_of(member)
    if policy is None:
        policy = plan_policy(
            health_plan=member.health_plan, line_of_business=coverage.line_of_business
        )
    program = procedure.program
    return eligibility_answer(
        coverage=coverage,
        program=program.code,
        program_name=program.name,
        program_active=program.is_active,
        windows=program_windows(health_plan=member.health_plan),
        on_date=on_date,
        code=procedure.code,
        rules=code_rules(health_plan=member.health_plan, program=program, code=procedure.code),
        setting=setting,
        excluded_settings=policy.excluded_settings,
    )


def in_network(*, health_plan: HealthPlan, provider_id: int, on_date: date) -> bool:
    return provider_id in in_network_ids(
        health_plan=health_plan, provider_ids=[provider_id], on_date=on_date
    )


def in_network_ids(*, health_plan: HealthPlan, provider_ids, on_date: date) -> set[int]:
    """Which of these providers take part in the plan's network on that date (one query)."""
    if not provider_ids:
        return set()
    return set(
        NetworkParticipation.objects.filter(
            health_plan=health_plan, provider_id__in=list(provider_ids), effective_date__lte=on_date
        )
        .exclude(end_date__lt=on_date)
        .values_list("provider_id", flat=True)
    )


# A hospital outpatient choice lists freestanding sites this close (reference/003: "a list of
# appropriate locations will be made available").
NEARBY_MILES = 60


@dataclass(frozen=True)
class AlternativeSite:
    site: DirectoryProvider
    miles: float


def alternative_sites(
    *, health_plan: HealthPlan, near: DirectoryProvider, modality: str, on_date: date, limit=5
) -> list[AlternativeSite]:
    """In-network freestanding imaging sites that perform this modality, nearest first, within
    NEARBY_MILES of the site chosen (zip code centroids; sites with an unknown zip are left out).

    Two queries: the state's freestanding sites in network that day; the distance and the
    modality are checked here (a JSON list, read the same way on SQLite and PostgreSQL)."""
    networked = NetworkParticipation.objects.filter(
        health_plan=health_plan, effective_date__lte=on_date
    ).exclude(end_date__lt=on_date)
    candidates = DirectoryProvider.objects.filter(
        state=near.state,
        site_type=DirectoryProvider.SiteType.FREESTANDING_IMAGING,
        pk__in=networked.values("provider_id"),
    ).exclude(pk=near.pk)
    found = []
    for site in candidates:
        if modality not in (site.modalities or []):
            continue
        miles = zip_miles(near.zip_code, site.zip_code)
        if miles is not None and miles <= NEARBY_MILES:
            found.append(AlternativeSite(site=site, miles=miles))
    found.sort(key=lambda a: (a.miles, a.site.organization_name, a.site.npi))
    return found[:limit]
