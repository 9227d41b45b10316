"""The case-build wizard with 100,000 cases in PostgreSQL.

Measures server time per wizard step (p95, target < 100 ms), complete case builds per second on
this machine (one process, and one per core), and counts the pages and required fields of a
standard case (target: at most 7 pages from home to the determination).

    .venv/bin/python benchmarks/wizard.py [--cases 100000] [--builds 40] [--seconds 20]
"""

import argparse
import multiprocessing
import random
import statistics
import time
from datetime import timedelta
from urllib.parse import urlencode

from common import calibration_ms, machine, service_cpu_seconds, setup_django

ANSWERS = {
    "cancer": "false",
    "indication": "chronic_pain",
    "xray_done": "true",
    "xray_result": "mild_oa",
    "mechanical": ["none"],
    "conservative_weeks": "8",
    "surgery_considered": "true",
    "red_flags": ["none"],
}


BENCH_MEMBERS = 20_000  # patients of the plan the builds use: a few cases each, as in real data


def seed_members(n_members: int) -> None:
    """Members of the demo plan, with the benefit plan of the demo member (eligible, managed)."""
    from payers.models import Member

    marsh = Member.objects.get(member_id="SAG100200301")
    have = Member.objects.filter(member_id__startswith="BENCH").count()
    if have >= n_members:
        return
    print(f"Seeding {n_members - have} members ...")
    rnd = random.Random(7)  # noqa: S311
    Member.objects.bulk_create(
        Member(
            health_plan_id=marsh.health_plan_id,
            benefit_plan_id=marsh.benefit_plan_id,
            member_id=f"BENCH{i:07d}",
            first_name="Pat",
            last_name=f"Bench{i}",
            date_of_birth=marsh.date_of_birth.replace(year=1945 + rnd.randrange(55)),
            sex=rnd.choice("FM"),
            coverage_start=marsh.coverage_start,
        )
        for i in range(have, n_members)
    )


def seed(n_cases: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cases.models import Case, CaseProcedure
    from clinical.models import DiagnosisCode, ProcedureCode, Program
    from payers.models import Member
    from portal.models import DirectoryProvider, Office, User

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seed_members(BENCH_MEMBERS)
    have = Case.objects.count()
    if have >= n_cases:
        return
    print(f"Seeding {n_cases - have} cases ...")
    rnd = random.Random(11)  # noqa: S311
    offices = list(Office.objects.all())
    users = {o.pk: User.objects.filter(office=o).first() for o in offices}
    members = list(Member.objects.all())
    doctors = list(DirectoryProvider.objects.filter(entity_type="1"))
    sites = list(DirectoryProvider.objects.exclude(site_type=""))
    codes = list(ProcedureCode.objects.all())
    dx = list(DiagnosisCode.objects.all()[:2000])
    program = Program.objects.get(code="radiology-cardiology")
    statuses = ["approved"] * 6 + ["in_review"] * 2 + ["not_required", "denied", "md_review"]
    now = timezone.now()
    batch = 5000
    for start in range(have, n_cases, batch):
        rows, procs = [], []
        for i in range(start, min(start + batch, n_cases)):
            office = offices[i % len(offices)]
            member = members[i % len(members)]
            status = rnd.choice(statuses)
            submitted = now - timedelta(minutes=i)
            rows.append(
                Case(
                    case_number=f"{200000000 + i}",
                    status=status,
                    office=office,
                    created_by=users[office.pk],
                    program=program,
                    ordering_provider=rnd.choice(doctors),
                    provider_address="1 Main St",
                    contact_name="Bench",
                    contact_phone="(602) 555-0100",
                    contact_fax="(602) 555-0101",
                    health_plan_id=member.health_plan_id,
                    member=member,
                    member_snapshot={"member_id": member.member_id},
                    primary_diagnosis=rnd.choice(dx),
                    rendering_site=rnd.choice(sites),
                    place_of_service="freestanding",
                    attested_by=users[office.pk],
                    attested_at=submitted,
                    submitted_at=submitted,
                    authorization_number=f"B{200000000 + i}" if status == "approved" else None,
                    expiration_date=(timezone.localdate() + timedelta(days=45))
                    if status == "approved"
                    else None,
                    review_due_at=submitted + timedelta(days=2) if status == "in_review" else None,
                )
            )
        created = Case.objects.bulk_create(rows)
        for case in created:
            procs.append(CaseProcedure(case=case, procedure_code=rnd.choice(codes)))
        CaseProcedure.objects.bulk_create(procs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def knee_pathway():
    from clinical.models import PathwayVersion
    from clinical.selectors import compiled_pathway

    return compiled_pathway(PathwayVersion.objects.get(pathway__slug="mri-knee"))


def answer_rounds() -> list[dict]:
    """Without JavaScript a follow-up question shows once the answers are sent: the answers
    given in each round ("Update questions"), until every question of the case is on screen."""
    from clinical.engine import CaseFacts, evaluate

    compiled = knee_pathway()
    facts = CaseFacts(age=55, procedure="73721", diagnoses=("M25.562",))
    answered: dict = {}
    rounds = []
    while True:
        shown = {i.link_id for i in evaluate(compiled, answered, facts).enabled if i.is_question}
        new = {k: v for k, v in ANSWERS.items() if k in shown and k not in answered}
        if not new:
            return rounds
        answered = {**answered, **new}
        rounds.append(answered)


class Walker:
    """Builds standard MRI knee cases through Django's test client, timing every request. Each
    build is for another patient of the plan (cycling through the benchmark's members)."""

    def __init__(self, username: str, offset: int = 0):
        from django.test import Client

        from clinical.models import Program
        from payers import selectors
        from payers.models import HealthPlan, Member
        from portal.models import DirectoryProvider, OfficePractitioner, User

        # One user builds case after case here, far past the per-user member lookup limit
        # meant for people: the limit is not what is measured.
        selectors.LOOKUPS_PER_MINUTE = 10**9
        self.user = User.objects.get(username=username)
        self.client = Client()
        self.client.force_login(self.user, backend="portal.backends.LoginBackend")
        plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
        link = (
            OfficePractitioner.objects.filter(office=self.user.office)
            .select_related("provider")
            .first()
        )
        site = DirectoryProvider.objects.filter(
            site_type="freestanding_imaging", networks__health_plan=plan
        ).first()
        self.patients = list(
            Member.objects.filter(member_id__startswith="BENCH")
            .order_by("member_id")
            .values_list("member_id", "date_of_birth", "last_name")
        )
        self.built = offset
        self.steps = {
            "provider": {
                "program": Program.objects.get(code="radiology-cardiology").pk,
                "practitioner": link.provider_id,
                "health_plan": plan.pk,
                "address": "practice",
                "requester": "ordering",
                "contact_name": "Bench",
                "contact_phone": "602-555-0100",
                "contact_fax": "602-555-0101",
            },
            "member": {"performed": "no"},
            "service": {
                "procedure_code": "73721",
                "quantity": "1",
                "laterality": "left",
                "place": "outpatient",
                "primary_diagnosis": "M25.562",
            },
            "site": {"site": site.pk},
            "confirm": {"confirm_duplicate": "yes"},
            "clinical": {
                "urgency": "standard",
                "attest": "on",
                **{f"pw-{k}": v for k, v in ANSWERS.items()},
            },
        }
        self.site_name = site.organization_name
        self.site_search = {"name": site.organization_name[:9], "zip_code": site.zip_code[:5]}
        self.rounds = answer_rounds()
        self.drivers = knee_pathway().drivers
        self.timings: dict[str, list[float]] = {}
        self.pages = 0
        self.requests = 0

    def _timed(self, name, method, url, data=None, *, multipart=False, **extra):
        """One request, timed. Forms post as browsers send them: URL-encoded, except the
        clinical step's form, which carries files (multipart)."""
        self.requests += 1
        start = time.perf_counter()
        if method == "post" and not multipart:
            body = urlencode(data or {}, doseq=True)
            extra["content_type"] = "application/x-www-form-urlencoded"
            response = self.client.post(url, body, **extra)
        else:
            response = getattr(self.client, method)(url, data or {}, **extra)
        self.timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return response

    def build(self, htmx: bool = True) -> str:
        """One case, home page to determination, with every request a browser sends.

        With htmx (JavaScript on): each step's form posts with htmx and the reply is the next
        step (the submission's: the determination); typing a code asks the typeahead; the site
        search and choice swap the step; each pathway answer refreshes the questions.
        Without JavaScript: a POST, a redirect and a GET per page, full pages for the site search
        and choice, and "Update questions" until no follow-up question is left to show."""
        pages = 1  # the home page the office starts from
        self.requests = 0
        member_id, born, last_name = self.patients[self.built % len(self.patients)]
        self.built += 1
        self.steps["member"].update(
            member_id=member_id, date_of_birth=born.isoformat(), last_name=last_name
        )
        hx = {"HX-Request": "true", "HX-Target": "wizard"}
        response = self._timed("new", "post", "/cases/new/")  # the home page's button
        url = response.url
        self._timed("provider (GET)", "get", url)
        pages += 1
        for step, data in self.steps.items():
            if step == "service" and htmx:
                self._typeahead()
            if step == "site":
                self._site(url, htmx)
            if step == "clinical":
                self._questions(url, htmx)
            payload = {**data, "action": "next"}
            files = step == "clinical"  # the form with the file input
            if htmx:
                response = self._timed(
                    f"{step} (htmx POST)", "post", url, payload, headers=hx, multipart=files
                )
                url = response.get("HX-Push-Url") or response.get("HX-Redirect")
                if response.status_code != 200 or not url:
                    raise RuntimeError(f"{step} did not advance: {response.status_code}")
            else:
                response = self._timed(f"{step} (POST)", "post", url, payload, multipart=files)
                if response.status_code != 302:
                    raise RuntimeError(f"{step} did not advance: {response.status_code}")
                url = response.url
                if step != "clinical":
                    self._timed(f"{response.url.rstrip('/').rsplit('/', 1)[1]} (GET)", "get", url)
            pages += 1
        if htmx:  # the submission's reply was the determination (the case's address pushed)
            if b'id="determination"' not in response.content or "/drafts/" in url:
                raise RuntimeError("the submission did not answer with the determination")
        else:
            self._timed("determination (GET)", "get", url)
        self.pages = pages - 1  # pages after the home page
        return url

    def _typeahead(self):
        """Typing the CPT and ICD-10-CM codes: two typeahead requests each (200 ms debounce)."""
        headers = {"HX-Request": "true"}
        for path, field, typed in (
            ("/codes/procedures/", "procedure_code", ("737", "73721")),
            ("/codes/diagnoses/", "primary_diagnosis", ("M25", "M25.562")),
        ):
            for text in typed:
                self._timed("code typeahead (htmx)", "get", path, {field: text}, headers=headers)

    def _site(self, url, htmx):
        """Search by name and zip, then choose the site: both swap the step with htmx."""
        headers = {"HX-Request": "true", "HX-Target": "wizard"} if htmx else {}
        kind = "htmx " if htmx else ""
        found = self._timed(
            f"site search ({kind}GET)", "get", url, self.site_search, headers=headers
        )
        if self.site_name.encode() not in found.content:
            raise RuntimeError("the site search did not find the site")
        query = "?" + "&".join(f"{k}={v}" for k, v in self.site_search.items())
        choice = {**self.steps["site"], "action": "choose"}
        self._timed(f"site choice ({kind}POST)", "post", url + query, choice, headers=headers)

    def _questions(self, url, htmx):
        """With htmx, each answer to a question that shows or hides another refreshes the
        questions (as the page does); without, "Update questions" rounds."""
        base = {"urgency": "standard"}
        if htmx:
            headers = {"HX-Request": "true", "HX-Target": "pathway-questions"}
            answered = {}
            for key, value in ANSWERS.items():
                answered[f"pw-{key}"] = value
                if key in self.drivers:
                    data = {**base, **answered}
                    self._timed("question refresh (htmx)", "post", url, data, headers=headers)
            return
        for answered in self.rounds[:-1]:
            data = {**base, **{f"pw-{k}": v for k, v in answered.items()}, "action": "refresh"}
            self._timed("update questions (POST)", "post", url, data, multipart=True)


def _worker(args) -> int:
    username, seconds, htmx, offset = args
    import django
    from django.db import connections

    django.setup()
    connections.close_all()
    walker = Walker(username, offset)
    count, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        walker.build(htmx)
        count += 1
    return count


def _count_server_cpu() -> list[float]:
    """CPU time spent inside Django's request handling (not in the test client that plays the
    browser), added up in the returned cell."""
    from django.core.handlers.base import BaseHandler

    spent = [0.0]
    get_response = BaseHandler.get_response

    def timed(self, request):
        start = time.process_time()
        try:
            return get_response(self, request)
        finally:
            spent[0] += time.process_time() - start

    BaseHandler.get_response = timed
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--builds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connections

    from cases.models import Case

    seed(args.cases)
    # Django's test client without the test environment: templates are not instrumented for
    # tests (that copies every context), so what is timed is what a server does.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"Machine: {machine()}")
    print(f"Machine speed: a calibration workload takes {calibration_ms():.1f} ms (lower: faster)")
    print(f"Cases in PostgreSQL: {Case.objects.count():,}")
    server_cpu = _count_server_cpu()

    walker = Walker("office.admin")
    rates, requests, split = {}, {}, {}
    for htmx in (True, False):
        flow = "htmx (JavaScript on)" if htmx else "plain forms (JavaScript off)"
        walker.build(htmx)  # warm-up
        walker.timings.clear()
        server_cpu[0] = 0.0
        services_before = service_cpu_seconds()
        started = time.perf_counter()
        for _ in range(args.builds):
            walker.build(htmx)
        one_process = args.builds / (time.perf_counter() - started)
        services_after = service_cpu_seconds()
        requests[flow] = walker.requests
        split[flow] = {
            "server": server_cpu[0] / args.builds * 1000,
            **{
                name: (services_after[name] - services_before[name]) / args.builds * 1000
                for name in services_after
            },
        }

        print(f"\n{flow}: server time per request over {args.builds} builds (target p95 < 100 ms)")
        print(f"{'request':<26} {'median ms':>10} {'p95 ms':>9} {'max ms':>9}")
        worst = 0.0
        for name, samples in walker.timings.items():
            samples.sort()
            p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
            worst = max(worst, p95)
            median = statistics.median(samples)
            print(f"{name:<26} {median:>10.1f} {p95:>9.1f} {samples[-1]:>9.1f}")
        print("within target" if worst < 100 else "OVER TARGET")

        connections.close_all()
        cores = multiprocessing.cpu_count()
        users = ["office.admin", "office.staff"]
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            jobs = [(users[i % 2], args.seconds, htmx, 1000 * (i + 1)) for i in range(cores)]
            counts = pool.map(_worker, jobs)
        rates[flow] = (one_process, sum(counts) / args.seconds, cores)

    print()
    for flow, (one_process, sustained, cores) in rates.items():
        print(
            f"Complete case builds per second, {flow}: {one_process:.1f} in one process; "
            f"{sustained:.1f} sustained with {cores} processes for {args.seconds:.0f} s (target 20)"
        )
    for flow, cpu in split.items():
        total = cpu["server"] + cpu["postgres"] + cpu["redis-server"]
        print(
            f"CPU per build, {flow}: {cpu['server']:.0f} ms in Django, {cpu['postgres']:.0f} ms "
            f"PostgreSQL, {cpu['redis-server']:.1f} ms Redis: {total:.0f} ms, so the server alone "
            f"would do {multiprocessing.cpu_count() * 1000 / total:.1f} builds/s on these cores"
        )

    from cases.forms import ClinicalForm, MemberForm, ProviderForm, ServiceForm
    from clinical.engine import CaseFacts, evaluate
    from clinical.models import PathwayVersion
    from clinical.selectors import compiled_pathway

    required = sum(1 for f in ProviderForm().fields.values() if f.required)
    required += sum(1 for n, f in MemberForm.base_fields.items() if f.required)
    required += sum(1 for f in ServiceForm().fields.values() if f.required)
    required += 1  # the rendering site
    required += sum(1 for f in ClinicalForm().fields.values() if f.required)
    version = PathwayVersion.objects.get(pathway__slug="mri-knee")
    enabled = evaluate(compiled_pathway(version), ANSWERS, CaseFacts(age=55)).enabled
    questions = sum(1 for i in enabled if i.is_question and i.required)
    print(
        f"Pages from home to the determination (standard MRI knee case): {walker.pages} "
        "(target <= 7)"
    )
    for flow, count in requests.items():
        print(f"Requests per build, {flow}: {count}")
    print(
        f"Required fields: {required} on the forms (5 of them prefilled from the account) "
        f"+ {questions} pathway questions"
    )


if __name__ == "__main__":
    main()
