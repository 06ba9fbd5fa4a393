"""Demo data: the personas and a few hundred realistic complaints, every one made through the services.

`seed_demo()` files each complaint with `complaint_submit` at a moment in the last ~150 days, then walks it
through the services (accept, start, ask for information, resolve, dispute, close, reject, withdraw...)
with the clock set to later moments. So the events, the stored due dates and the working-day calendar agree
exactly as if people had done the work on those days, and the inbox's "overdue" and "due soon" filters
have something to show at the real current time.

Deterministic for a given `seed` and `now`; idempotent: nothing is seeded when any complaint exists.
"""

import datetime as dt
import random
import time as clock
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from stdnum.vn import mst

from bvntd.agencies.models import Agency, Membership, Role, Sector
from bvntd.core.calendar import VN_TZ, local_date
from bvntd.core.personas import DEMO_PASSWORD, HOME_PROVINCE, create_personas
from bvntd.core.text import fold
from bvntd.core.workdays import calendar_for
from bvntd.geo.models import Commune, Province

from . import services
from .demo_texts import (
    BUSINESS_ANSWERS,
    COORDINATOR_NOTES,
    DISPUTES,
    DUPLICATE_NOTE,
    FAMILY,
    GIVEN_F,
    GIVEN_M,
    HAMLETS,
    INFO_REQUESTS,
    MEDIATION_MINUTES,
    MESSAGES,
    MIDDLE_F,
    MIDDLE_M,
    MOBILE_PREFIXES,
    NOTES,
    OUT_OF_SCOPE,
    RATING_COMMENTS,
    REASSIGN_REASON,
    REPLIES,
    STREETS,
    SUMMARIES,
    TEMPLATES,
    WITHDRAWALS,
    Template,
)
from .intake import normalise_phone, parse_intake
from .models import Channel, Complaint
from .states import Outcome, RejectReason, Status
from .sweep import sweep_deadlines

DEFAULT_COUNT = 300
DEFAULT_SEED = 2026
HISTORY_DAYS = 150
SUPERUSER = "admin"
# The business with a portal account in the demo: its representative logs in as BUSINESS_USER. Complaints
# about it from consumers who have not asked it yet go to it first (Law 19/2023 Art.57(2)).
PORTAL_BUSINESS = "TechZone Official Store"
PORTAL_LEGAL_NAME = "Công ty TNHH Công nghệ TechZone Việt Nam"
BUSINESS_USER = "doanhnghiep"
HEALTH_AGENCY = f"{HOME_PROVINCE}-health"
HEALTH_SECTORS = frozenset({"food", "health"})

# Where consumers live: mostly Vĩnh Long, the personas' province; some neighbours and the two big cities.
PROVINCE_WEIGHTS = {HOME_PROVINCE: 82, "79": 6, "01": 4, "92": 5, "82": 3}
# An officer in each other province's Sở Công Thương, so their cases can be worked too: Hà Nội's is a
# persona, the others are created here with the demo password. Province code: (username, name, description).
OTHER_PROVINCE_PERSONA = {"01": "canbo.hanoi"}
PROVINCE_OFFICERS = {
    "79": ("canbo.hcm", "Trương Minh Khoa", "Cán bộ Sở Công Thương TP. Hồ Chí Minh"),
    "92": ("canbo.cantho", "Lý Thị Ngọc Hân", "Cán bộ Sở Công Thương TP. Cần Thơ"),
    "82": ("canbo.dongthap", "Huỳnh Văn Tài", "Cán bộ Sở Công Thương Đồng Tháp"),
}

# How the seeded cases end up: every state, with the spread of a working system.
STATE_WEIGHTS = {
    Status.AT_BUSINESS: 4,
    Status.BUSINESS_ANSWERED: 3,
    Status.RECEIVED: 10,
    Status.ACCEPTED: 8,
    Status.IN_PROGRESS: 17,
    Status.AWAITING_INFO: 8,
    Status.RESOLVED: 8,
    Status.REOPENED: 3,
    Status.CLOSED: 31,
    Status.REJECTED: 9,
    Status.WITHDRAWN: 6,
}
OUTCOME_WEIGHTS = {
    Outcome.SETTLED: 30,
    Outcome.REFUNDED: 30,
    Outcome.REPAIRED: 12,
    Outcome.EXPLAINED: 12,
    Outcome.NOT_SETTLED: 10,
    Outcome.REFERRED: 6,
}


# --- what consumers write ------------------------------------------------------------------------------


@dataclass
class SeedResult:
    skipped: bool
    created: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    swept: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def seed_demo(
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedResult:
    """Create the demo logins and, unless any complaint exists, `count` complaints. Returns what it did."""
    started = clock.perf_counter()
    now = now or timezone.now()
    users = create_personas(password=DEMO_PASSWORD)
    users.update(_province_officers())
    _superuser()
    if Complaint.objects.exists():
        return SeedResult(skipped=True)
    users[BUSINESS_USER] = _registry(now, users["canbo.sct"])
    # Every service enqueues its e-mail through django.tasks after commit. Seeding through the database
    # queue would leave ~1,000 messages for the demo's worker, which sends them to the console backend:
    # a screenful of mail about cases "received" months ago. The dummy backend keeps the enqueued tasks in
    # memory and drops them, without touching the services (the on_commit enqueues run at this block's
    # commit, still inside the override). One transaction: a failure leaves nothing, so the next run seeds
    # again instead of finding half a demo and skipping.
    with (
        override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}),
        transaction.atomic(),
    ):
        seeder = _Seeder(random.Random(seed), now, users)  # noqa: S311 - demo data
        for i, target in enumerate(seeder.targets(count), start=1):
            seeder.make(target)
            if progress is not None and (i % 50 == 0 or i == count):
                progress(i, count)
        # Record today's "due soon" and "overdue" warnings as the sweep will, here where their e-mails
        # to the agencies (about invented cases) are dropped with the rest.
        swept = sweep_deadlines(now=now)
    by_status = Counter(Complaint.objects.values_list("status", flat=True))
    return SeedResult(
        skipped=False,
        created=count,
        by_status={s: by_status.get(s, 0) for s in Status.values},
        swept=swept,
        seconds=clock.perf_counter() - started,
    )


@transaction.atomic
def _province_officers() -> dict:
    """One officer in the Sở Công Thương of each other province the demo files cases in. Idempotent."""
    user_model = get_user_model()
    users = {}
    for code, (username, full_name, _description) in PROVINCE_OFFICERS.items():
        family, _, given = full_name.rpartition(" ")
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": given, "last_name": family}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, defaults={"agency": Agency.objects.get(code=f"{code}-sct"), "role": Role.OFFICER}
        )
        users[username] = user
    return users


def _registry(now: dt.datetime, officer):
    """Every business the demo's consumers write about, in the registry with its tax code (no portal), and
    the portal business with its representative, invited by the Sở Công Thương. Returns that person."""
    from bvntd.businesses import portal, registry
    from bvntd.businesses.models import Business

    from .demo_texts import TEMPLATES

    names = sorted({name for template in TEMPLATES for name in template.businesses})
    for name in names:
        tax_code = _Seeder.tax_code(name)
        if Business.objects.filter(tax_code=tax_code).exists():
            continue
        legal = PORTAL_LEGAL_NAME if name == PORTAL_BUSINESS else name
        aliases = [name] if name == PORTAL_BUSINESS else []
        registry.business_create(
            actor=officer,
            now=now,
            name=legal,
            tax_code=tax_code,
            province_id=HOME_PROVINCE,
            aliases=aliases,
            shops=["Shopee: techzone.official"] if name == PORTAL_BUSINESS else (),
        )
    business = Business.objects.get(tax_code=_Seeder.tax_code(PORTAL_BUSINESS))
    user = get_user_model().objects.filter(username=BUSINESS_USER).first()
    if user is None:
        _invitation, token = portal.invitation_create(
            business=business, email=f"{BUSINESS_USER}@techzone.example", actor=officer, now=now
        )
        user = portal.invitation_accept(
            token=token,
            now=now,
            full_name="Đặng Thu Hà",
            password=DEMO_PASSWORD,
            password_again=DEMO_PASSWORD,
        )
        user.username = BUSINESS_USER
        user.save(update_fields=["username"])
    return user


def _superuser() -> None:
    user_model = get_user_model()
    if not user_model.objects.filter(username=SUPERUSER).exists():
        user_model.objects.create_superuser(SUPERUSER, "admin@bvntd.example", DEMO_PASSWORD)


class _Seeder:
    def __init__(self, rng: random.Random, now: dt.datetime, users: dict) -> None:
        self.rng = rng
        self.now = now
        # Nothing is dated in the last few minutes, so every step is safely in the past.
        self.limit = now - dt.timedelta(minutes=5)
        self.calendar = calendar_for(now)
        self.users = users
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=self._agency_codes())}
        self.provinces = {p.code: p for p in Province.objects.filter(code__in=PROVINCE_WEIGHTS)}
        self.communes: dict[str, list[Commune]] = {}
        for commune in Commune.objects.filter(province_id__in=PROVINCE_WEIGHTS).order_by("code"):
            self.communes.setdefault(commune.province_id, []).append(commune)
        self.workers = {
            f"{HOME_PROVINCE}-sct": [users["canbo.sct"], users["canbo2.sct"]],
            HEALTH_AGENCY: [users["canbo.syt"]],
            **{f"{code}-sct": [users[name]] for code, name in OTHER_PROVINCE_PERSONA.items()},
            **{f"{code}-sct": [users[officer[0]]] for code, officer in PROVINCE_OFFICERS.items()},
        }
        # Cases filed so far, for the occasional duplicate: (complaint, raw intake, template).
        self.filed: list[tuple[Complaint, dict, Template]] = []

    @staticmethod
    def _agency_codes() -> list[str]:
        return [f"{code}-sct" for code in PROVINCE_WEIGHTS] + [HEALTH_AGENCY]

    def targets(self, count: int) -> list[str]:
        """Every state at least once (when count allows), the rest drawn by weight."""
        states = list(STATE_WEIGHTS)
        first = states[:count]
        rest = self.rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=max(count - len(first), 0))
        return first + rest

    def make(self, target: str) -> Complaint:
        return _Story(self, target).run()

    # --- helpers the stories use

    def pick(self, items):
        return self.rng.choice(items)

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def office_time(self, t: dt.datetime) -> dt.datetime:
        """`t` if it falls in office hours on a working day, else a moment early on the next working day."""
        local = t.astimezone(VN_TZ)
        minutes = local.hour * 60 + local.minute
        day = local.date()
        if self.calendar.is_working_day(day) and 7 * 60 + 30 <= minutes <= 16 * 60 + 30:
            return t
        if not (self.calendar.is_working_day(day) and minutes < 7 * 60 + 30):
            day = self.calendar.next_working_day(day)
        start = dt.datetime.combine(day, dt.time(7, 30), tzinfo=VN_TZ)
        return start + dt.timedelta(minutes=self.rng.randint(0, 180))

    def day_for_due(self, working_days: int, *, working: bool = False) -> dt.date:
        """A past day (a working day if `working`) from which a clock of `working_days` ends today or on the
        next working day: its case is "due soon" now."""
        today = local_date(self.now)
        due = today if self.calendar.is_working_day(today) and self.rng.random() < 0.5 else None
        due = due or self.calendar.next_working_day(today)
        day = due - dt.timedelta(days=1)
        while self.calendar.add_working_days(day, working_days) > due:
            day -= dt.timedelta(days=1)
        while working and not self.calendar.is_working_day(day):
            day -= dt.timedelta(days=1)  # the days off in between do not move the due date
        return day

    def phone(self) -> str:
        while True:
            number = self.pick(MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if normalise_phone(number):
                return number

    def raw_intake(
        self, province: str, received: dt.datetime, template: Template | None = None, business: str = ""
    ) -> tuple[dict, Template]:
        rng = self.rng
        template = template or self.pick(TEMPLATES)
        business = business or self.pick(template.businesses)
        today = local_date(received)
        purchased = today - dt.timedelta(days=rng.randint(1, 45)) if template.purchased else None
        amount = None
        if template.amount is not None:
            low, high = template.amount
            step = 1_000 if high < 10_000_000 else 100_000
            amount = rng.randrange(low // step, high // step + 1) * step
        month = (purchased or today - dt.timedelta(days=20)).month
        text = template.text.format(
            dn=business,
            ngay=f"{purchased or today:%d/%m/%Y}",
            tien=f"{amount or 0:,}".replace(",", "."),
            thang=month,
        )
        female = rng.random() < 0.5
        family = self.pick(FAMILY)
        middle = self.pick(MIDDLE_F if female else MIDDLE_M)
        given = self.pick(GIVEN_F if female else GIVEN_M)
        email = ""
        if rng.random() < 0.45:
            email = f"{fold(given)}.{fold(family)}{rng.randint(70, 2005)}@example.com".replace(" ", "")
        # A few consumers leave only an e-mail address.
        phone = "" if email and rng.random() < 0.1 else self.phone()
        communes = [
            c
            for c in self.communes.get(province, [])
            if c.valid_from <= today and (c.valid_to is None or c.valid_to > today)
        ]
        commune = self.pick(communes) if communes and rng.random() < 0.85 else None
        street = (
            f"Số {rng.randint(1, 250)} {self.pick(STREETS)}"
            if rng.random() < 0.6
            else f"Tổ {rng.randint(1, 12)}, {self.pick(HAMLETS)}"
        )
        place = commune.full_name if commune else ""
        raw = {
            "consumer_name": f"{family} {middle} {given}",
            "phone": phone,
            "email": email,
            "address": ", ".join(filter(None, [street, place, self.provinces[province].full_name])),
            "province_code": province,
            "commune_code": commune.code if commune else "",
            "business_name": business,
            "business_tax_code": self.tax_code(business) if rng.random() < 0.35 else "",
            "business_address": "" if rng.random() < 0.5 else self.business_address(province),
            "description": text,
            "amount_vnd": amount,
            "purchased_on": purchased.isoformat() if purchased else None,
            "desired_outcome": template.wish,
            "contacted_business": rng.choice([True, True, False, None]),
            "publish_consent": rng.random() < 0.6,
            "consent": True,
        }
        if business == PORTAL_BUSINESS:
            # Only the business-stage stories send a case to the portal business (they set False again).
            raw["contacted_business"] = True
        return raw, template

    def business_address(self, province: str) -> str:
        street = self.pick(STREETS)
        place = self.provinces[province].full_name
        return f"Số {self.rng.randint(1, 300)} {street[:1].upper()}{street[1:]}, {place}"

    @staticmethod
    def tax_code(business: str) -> str:
        """A valid tax code (right check digit), the same for every case about one business."""
        rng = random.Random(business)  # noqa: S311 - demo data, not a secret
        while True:
            number = f"03{rng.randrange(10**7):07d}"  # 9 digits; the check digit makes 10
            candidate = number + mst.calc_check_digit(number)
            if mst.is_valid(candidate):  # some prefixes have no valid check digit ("10")
                return candidate


class _Story:
    """One complaint's life, from intake to `target`, with the clock moving forward at each step."""

    def __init__(self, seeder: _Seeder, target: str) -> None:
        self.s = seeder
        self.rng = seeder.rng
        self.target = target
        self.province = seeder.weighted(PROVINCE_WEIGHTS)
        self.t: dt.datetime = seeder.limit
        self.complaint: Complaint
        self.template: Template
        self.officer = None

    # --- time

    def _move(self, t: dt.datetime, *, floor: dt.datetime | None = None, office: bool = True) -> dt.datetime:
        """Set the clock to `t` (snapped to office hours for officers), never before `floor` or the last
        step and never after the limit: a step that would land in the future is squeezed in before it."""
        floor = min(max(self.t, floor or self.t), self.s.limit)
        if office:
            t = self.s.office_time(t)
        if t > self.s.limit:
            t = floor + (self.s.limit - floor) * self.rng.uniform(0.2, 0.8)
        self.t = max(t, floor)
        return self.t

    def later(self, low: float, high: float, *, office: bool = True) -> dt.datetime:
        """Move the clock on by `low`-`high` days; officers act in office hours, consumers any time."""
        return self._move(self.t + dt.timedelta(days=self.rng.uniform(low, high)), office=office)

    def at_least(self, when: dt.datetime, *, office: bool = True) -> dt.datetime:
        """Move the clock to `when` (or leave it where it is if that is later)."""
        return self._move(max(self.t, when), floor=when, office=office)

    def days_ago(self, low: float, high: float) -> dt.datetime:
        return self.s.now - dt.timedelta(days=self.rng.uniform(low, high))

    # --- people

    @property
    def agency(self) -> str:
        return self.complaint.owner_agency.code

    def worker(self):
        """The officer working the case in its current agency (the same one throughout)."""
        if self.officer is None or self.officer.membership.agency.code != self.agency:
            self.officer = self.s.pick(self.s.workers[self.agency])
        return self.officer

    # --- steps

    def intake(self, received: dt.datetime, raw: dict | None = None) -> None:
        channel = self.s.weighted({Channel.WEB: 75, Channel.HOTLINE: 20, Channel.API: 5})
        actor = self.s.users["tongdai"] if channel == Channel.HOTLINE else None
        if received.astimezone(VN_TZ).hour < 6:
            received += dt.timedelta(hours=6)  # few people file between midnight and six
        self.t = min(received, self.s.limit)
        if channel == Channel.HOTLINE:
            self.at_least(self.t)  # the hotline answers in office hours
        if raw is None:
            raw, self.template = self.s.raw_intake(self.province, self.t)
        data = parse_intake(raw, today=local_date(self.t))
        self.complaint, _ = services.complaint_submit(data=data, channel=channel, now=self.t, actor=actor)
        self.s.filed.append((self.complaint, raw, self.template))

    def needs_health(self) -> bool:
        return (
            self.template.sector in HEALTH_SECTORS
            and self.province == HOME_PROVINCE
            and self.agency != HEALTH_AGENCY
        )

    def reassign_to_health(self) -> None:
        """Through the transfer protocol: the Sở Công Thương proposes, the Sở Y tế accepts."""
        from bvntd.routing.models import TransferReason
        from bvntd.routing.transfers import transfer_accept, transfer_propose

        transfer = transfer_propose(
            complaint=self.complaint,
            actor=self.worker(),
            now=self.later(0.05, 0.5),
            to_agency=self.s.agencies[HEALTH_AGENCY],
            reason_code=TransferReason.OUTSIDE_SECTOR,
            legal_basis=REASSIGN_REASON,
        )
        transfer.complaint = self.complaint
        transfer_accept(
            transfer=transfer, actor=self.s.pick(self.s.workers[HEALTH_AGENCY]), now=self.later(0.1, 1)
        )

    def triage(self) -> None:
        """Food and health cases of the home province go to the Sở Y tế, mostly before anyone accepts."""
        if self.needs_health() and self.rng.random() < 0.7:
            self.reassign_to_health()

    def accept(self, at: dt.datetime | None = None) -> None:
        self.triage()
        now = self.at_least(at) if at else self.later(0.2, 2.5)
        services.complaint_accept(
            complaint=self.complaint,
            actor=self.worker(),
            now=now,
            sector=self.s.sectors[self.template.sector],
        )
        if self.needs_health():
            self.reassign_to_health()
        if self.agency == f"{HOME_PROVINCE}-sct" and self.rng.random() < 0.4:
            officer = self.s.pick(self.s.workers[self.agency])
            services.complaint_assign_officer(
                complaint=self.complaint,
                actor=self.s.users["lanhdao.sct"],
                now=self.later(0.02, 0.5),
                officer=officer,
            )
            self.officer = officer

    def start(self) -> None:
        services.complaint_start(complaint=self.complaint, actor=self.worker(), now=self.later(0.3, 3))

    def chatter(self, most: int = 2) -> None:
        for _ in range(self.rng.randint(0, most)):
            roll = self.rng.random()
            if roll < 0.45:
                services.complaint_add_note(
                    complaint=self.complaint,
                    actor=self.worker(),
                    now=self.later(0.3, 4),
                    body=self.s.pick(NOTES),
                )
            elif roll < 0.85:
                services.complaint_message_consumer(
                    complaint=self.complaint,
                    actor=self.worker(),
                    now=self.later(0.3, 4),
                    body=self.s.pick(MESSAGES),
                )
            elif self.province == HOME_PROVINCE:
                services.complaint_add_note(
                    complaint=self.complaint,
                    actor=self.s.users["dieuphoi.vl"],
                    now=self.later(0.3, 4),
                    body=self.s.pick(COORDINATOR_NOTES),
                )

    def ask(self, at: dt.datetime | None = None) -> None:
        services.complaint_request_info(
            complaint=self.complaint,
            actor=self.worker(),
            now=self.at_least(at) if at else self.later(0.5, 5),
            message=self.s.pick(INFO_REQUESTS),
        )

    def reply(self) -> None:
        services.complaint_consumer_reply(
            complaint=self.complaint, now=self.later(0.1, 4, office=False), body=self.s.pick(REPLIES)
        )

    def work(self, *, rounds: int = 2) -> None:
        """Accepted → in progress, with notes, messages and sometimes a round of asking for information."""
        self.start()
        self.chatter(rounds)
        if self.rng.random() < 0.3:
            self.ask()
            self.reply()
            self.chatter(1)

    def resolve(self, at: dt.datetime | None = None) -> None:
        outcome = self.s.weighted(OUTCOME_WEIGHTS)
        services.complaint_resolve(
            complaint=self.complaint,
            actor=self.worker(),
            now=self.at_least(at) if at else self.later(1, 12),
            outcome=outcome,
            summary=self.s.pick(SUMMARIES[outcome]),
        )

    def mediate(self, at: dt.datetime) -> None:
        """The officer brings both sides together; they settle, the business promises to pay by a date."""
        from bvntd.businesses.mediation import PromiseInput, mediation_record, mediation_schedule

        officer = self.worker()
        session = mediation_schedule(
            complaint=self.complaint,
            actor=officer,
            now=self.later(0.2, 1),
            scheduled_at=self.at_least(at) + dt.timedelta(hours=1),
            place=f"Phòng tiếp công dân, {self.complaint.owner_agency.name}",
            participants=f"{self.complaint.consumer_name} — người tiêu dùng\n"
            f"Đại diện {self.complaint.business_name} — doanh nghiệp\n"
            f"{officer.get_full_name()} — hòa giải viên",
        )
        held = self.at_least(session.scheduled_at + dt.timedelta(hours=2))
        amount = self.complaint.amount_vnd or 1_000_000
        mediation_record(
            session=session,
            actor=officer,
            now=held,
            minutes=MEDIATION_MINUTES,
            settlement_summary=f"Doanh nghiệp đồng ý hoàn trả {amount:,} đồng cho người tiêu dùng.".replace(
                ",", "."
            ),
            promises=[
                PromiseInput(
                    party="business",
                    description="Chuyển khoản hoàn trả tiền cho người tiêu dùng",
                    amount_vnd=amount,
                    due_on=self.s.calendar.add_working_days(local_date(held), 10),
                )
            ],
        )

    def rate(self, *, after: float = 0.1) -> None:
        rating = self.s.weighted({5: 35, 4: 30, 3: 15, 2: 10, 1: 10})
        services.complaint_rate(
            complaint=self.complaint,
            now=self.later(after, after + 4, office=False),
            rating=rating,
            comment=self.s.pick(RATING_COMMENTS) if rating >= 3 else "",
        )

    def withdraw(self) -> None:
        services.complaint_withdraw(
            complaint=self.complaint, now=self.later(0.2, 6, office=False), reason=self.s.pick(WITHDRAWALS)
        )

    def reject(self, reason: str, explanation: str, *, at=None, duplicate_of=None) -> None:
        services.complaint_reject(
            complaint=self.complaint,
            actor=self.worker(),
            now=self.at_least(at) if at else self.later(0.2, 2.5),
            reason_code=reason,
            explanation=explanation,
            duplicate_of=duplicate_of,
        )

    # --- the stories, one per final state

    def run(self) -> Complaint:
        getattr(self, f"_to_{self.target}")()
        if self.complaint.status != self.target:
            raise RuntimeError(f"demo story for {self.target} ended in {self.complaint.status}")
        return self.complaint

    # --- the business stage (Law 19/2023 Art.57(2))

    def to_business(self, received: dt.datetime) -> None:
        """A consumer who has not asked the portal business yet: the case goes to it first."""
        template = self.s.pick([t for t in TEMPLATES if PORTAL_BUSINESS in t.businesses])
        raw, _ = self.s.raw_intake(self.province, received, template, PORTAL_BUSINESS)
        raw.update(
            business_name=PORTAL_BUSINESS,
            business_tax_code=self.s.tax_code(PORTAL_BUSINESS),
            contacted_business=False,
        )
        if self.rng.random() < 0.3:
            raw["vulnerable_group"] = self.s.pick(["elderly", "poor", "disability"])
        self.template = template
        self.intake(received, raw)

    def business_answers(self, kind: str | None = None) -> None:
        from bvntd.businesses.models import AnswerKind
        from bvntd.businesses.stage import referral_answer

        kind = kind or self.s.weighted(
            {AnswerKind.MONETARY: 5, AnswerKind.NON_MONETARY: 3, AnswerKind.EXPLANATION: 2}
        )
        amount = (self.complaint.amount_vnd or 500_000) if kind == AnswerKind.MONETARY else None
        referral_answer(
            complaint=self.complaint,
            business=self.complaint.business,
            now=self.later(0.2, 3),
            kind=kind,
            body=BUSINESS_ANSWERS[kind],
            amount_vnd=amount,
            author=self.s.users[BUSINESS_USER],
        )

    def _to_at_business(self) -> None:
        self.province = HOME_PROVINCE
        self.to_business(self.days_ago(0.05, 3))

    def _to_business_answered(self) -> None:
        self.province = HOME_PROVINCE
        self.to_business(self.days_ago(2, 9))
        self.business_answers()

    def _to_received(self) -> None:
        if self.rng.random() < 0.15:
            # The business answered, the consumer disagreed: the case came to the agency.
            from bvntd.businesses.stage import answer_dispute

            self.province = HOME_PROVINCE
            self.to_business(self.days_ago(3, 8))
            self.business_answers("explanation")
            answer_dispute(
                complaint=self.complaint, now=self.later(0.1, 1, office=False), reason=self.s.pick(DISPUTES)
            )
            return
        if self.rng.random() < 0.2:  # due soon: the three-day accept clock ends today or next working day
            day = self.s.day_for_due(services.policy("ACCEPT_WORKING_DAYS"))
            received = dt.datetime.combine(day, dt.time(8), tzinfo=VN_TZ)
            self.intake(received + dt.timedelta(minutes=self.rng.randint(0, 600)))
        else:  # mostly recent; the older ones are overdue
            self.intake(self.days_ago(0.05, 9))
        self.triage()

    def _accepted_on_time_or_not(self, low: float, high: float) -> None:
        """Intake and accept; now and then so that the resolve clock ends today or next working day."""
        if self.rng.random() < 0.15:
            day = self.s.day_for_due(services.policy("RESOLVE_WORKING_DAYS"), working=True)
            accepted = self.s.office_time(dt.datetime.combine(day, dt.time(7), tzinfo=VN_TZ))
            self.intake(accepted - dt.timedelta(days=self.rng.uniform(0.6, 2)))
            self.accept(at=accepted)
        else:
            self.intake(self.days_ago(low, high))
            self.accept()

    def _to_accepted(self) -> None:
        self._accepted_on_time_or_not(1, 24)
        if self.rng.random() < 0.3:
            self.chatter(1)

    def _to_in_progress(self) -> None:
        self._accepted_on_time_or_not(4, 45)
        self.work()
        if self.rng.random() < 0.1 and self.t < self.s.limit - dt.timedelta(days=2):
            services.complaint_extend(
                complaint=self.complaint,
                actor=self.worker(),
                now=self.later(0.5, 2),
                reason="Cần giám định chất lượng sản phẩm tại đơn vị độc lập.",
            )

    def _to_awaiting_info(self) -> None:
        self.intake(self.days_ago(5, 45))
        self.accept()
        if self.rng.random() < 0.6:
            self.start()
        self.chatter(1)
        # Asked recently: the five-day reply clock is running, ending soon, or already past.
        self.ask(at=self.days_ago(0.1, 10))

    def _to_resolved(self) -> None:
        self.intake(self.days_ago(8, 45))
        self.accept()
        self.work()
        # Inside the 15-day dispute window, so the sweep does not close it yet.
        if self.rng.random() < 0.3:
            self.mediate(at=self.days_ago(0.1, 12))
        else:
            self.resolve(at=self.days_ago(0.1, 12))
        if self.rng.random() < 0.35:
            self.rate()

    def _to_reopened(self) -> None:
        self.intake(self.days_ago(10, 45))
        self.accept()
        self.work(rounds=1)
        self.resolve(at=self.days_ago(1.5, 13))
        services.complaint_dispute(
            complaint=self.complaint, now=self.later(0.1, 3, office=False), reason=self.s.pick(DISPUTES)
        )
        if self.rng.random() < 0.4:
            self.chatter(1)

    def _to_closed(self) -> None:
        if self.rng.random() < 0.2:
            # Settled at the business stage: the business answered, the consumer accepted.
            from bvntd.businesses.stage import answer_accept

            self.province = HOME_PROVINCE
            self.to_business(self.days_ago(40, HISTORY_DAYS))
            self.business_answers()
            answer_accept(complaint=self.complaint, now=self.later(0.2, 5, office=False))
            return
        # Old enough that the 15-day dispute window after the outcome has passed.
        self.intake(self.days_ago(50, HISTORY_DAYS))
        self.accept()
        self.work()
        self.resolve()
        window_end = self.complaint.dispute_until
        if window_end + dt.timedelta(hours=2) >= self.s.limit:
            self.rate()  # the consumer's window is still open: the case stays resolved
            return
        if self.rng.random() < 0.6:
            self.rate()
        # Closed once the dispute window has passed: by the sweep, or by an officer tidying up.
        closer = None if self.rng.random() < 0.5 else self.worker()
        services.complaint_close(
            complaint=self.complaint, actor=closer, now=self.at_least(window_end + dt.timedelta(hours=1))
        )

    def _to_rejected(self) -> None:
        roll = self.rng.random()
        if roll < 0.2 and self._duplicate():
            return
        if roll < 0.5:
            self.intake(self.days_ago(25, HISTORY_DAYS))
            self.accept()
            self.ask()
            # The reply clock must have run out before the officer may reject for no reply.
            after_due = self.complaint.due_at + dt.timedelta(minutes=1)
            if after_due < self.s.limit:
                self.reject(
                    RejectReason.NO_REPLY,
                    "Hết thời hạn nhưng ông/bà không bổ sung thông tin theo yêu cầu; hồ sơ dừng xử lý.",
                    at=after_due + dt.timedelta(hours=self.rng.uniform(0, 48)),
                )
                return
        else:
            self.intake(self.days_ago(1, HISTORY_DAYS))
        self.reject(RejectReason.OUT_OF_SCOPE, self.s.pick(OUT_OF_SCOPE))

    def _duplicate(self) -> bool:
        """The same consumer files the same matter again; the officer rejects it as a duplicate."""
        earlier = [
            filed
            for filed in self.s.filed
            if filed[0].province_id == HOME_PROVINCE
            and filed[0].received_at < self.s.limit - dt.timedelta(days=3)
        ]
        if not earlier:
            return False
        original, raw, self.template = self.s.pick(earlier)
        self.province = original.province_id
        raw = {**raw, "description": f"{DUPLICATE_NOTE}\n{raw['description']}"}
        self.intake(original.received_at + dt.timedelta(days=self.rng.uniform(0.5, 8)), raw)
        self.reject(
            RejectReason.DUPLICATE,
            f"Nội dung trùng với hồ sơ {original.tracking_code} đang được xử lý; mời ông/bà theo dõi hồ sơ "
            "đó.",
            duplicate_of=original,
        )
        return True

    def _to_withdrawn(self) -> None:
        self.intake(self.days_ago(1, HISTORY_DAYS))
        if self.rng.random() < 0.6:
            self.accept()
            if self.rng.random() < 0.5:
                self.work(rounds=1)
        self.withdraw()
