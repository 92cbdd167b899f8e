"""When sponsorships pay, and how well each child's school year is funded: the coordinators'
funding list and its spreadsheet."""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cms.exports import Money, table_workbook
from enrolment.models import (
    Frequency,
    Learner,
    SchoolPlacement,
    Sponsorship,
)
from enrolment.models.schools import school_year_bounds, school_year_label
from enrolment.services.sponsor_payments import received_by

# --- when sponsorships pay, and how well each year is funded ----------------------------------

MONTHS_BETWEEN = {Frequency.MONTHLY: 1, Frequency.TERMLY: 4, Frequency.YEARLY: 12}


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sponsorship_payment_dates(sponsorship: Sponsorship, *, school_year: int) -> list[dt.date]:
    """The days the sponsorship pays within a school year (see the module's docstring)."""
    first, last = school_year_bounds(school_year)
    end = min(last, sponsorship.ends_on) if sponsorship.ends_on else last
    if sponsorship.frequency == Frequency.ONE_OFF:
        return [sponsorship.starts_on] if first <= sponsorship.starts_on <= end else []
    step = MONTHS_BETWEEN[Frequency(sponsorship.frequency)]
    dates, n = [], 0
    while (day := _add_months(sponsorship.starts_on, n * step)) <= end:
        if day >= first:
            dates.append(day)
        n += 1
    return dates


def sponsorship_total(sponsorship: Sponsorship, *, school_year: int) -> Decimal:
    """What the sponsorship pays within a school year."""
    return sponsorship.amount * len(sponsorship_payment_dates(sponsorship, school_year=school_year))


class FundingStatus:
    WAITING = "waiting"  # school costs recorded, no sponsor paying this year
    UNDER_FUNDED = "under_funded"
    FUNDED = "funded"
    NO_PLACEMENT = "no_placement"  # sponsored, but this year's school place is not recorded

    # Lazy: read in the language of each request, not the one active at import.
    LABELS = {
        WAITING: gettext_lazy("Waiting for a sponsor"),
        UNDER_FUNDED: gettext_lazy("Under-funded"),
        FUNDED: gettext_lazy("Funded"),
        NO_PLACEMENT: gettext_lazy("No school place recorded"),
    }


@dataclass(frozen=True)
class ChildFunding:
    """One child's school year: what it costs, what sponsors pay, and the gap."""

    child: Learner
    school_year: int
    placement: SchoolPlacement | None
    sponsorships: list[Sponsorship] = field(default_factory=list)
    sponsored: Decimal = Decimal(0)  # promised: what the sponsorships pay in the year
    received: Decimal = Decimal(0)  # what sponsors' payments brought in the year

    @property
    def costs(self) -> Decimal:
        return self.placement.total_costs if self.placement else Decimal(0)

    @property
    def gap(self) -> Decimal:
        """What is still to find; never below zero (a surplus is not a gap)."""
        return max(self.costs - self.sponsored, Decimal(0))

    @property
    def sponsor_count(self) -> int:
        return len({s.sponsor_id for s in self.sponsorships})

    @property
    def status(self) -> str:
        if self.placement is None:
            return FundingStatus.NO_PLACEMENT
        if self.sponsored <= 0:
            return FundingStatus.WAITING
        if self.gap > 0:
            return FundingStatus.UNDER_FUNDED
        return FundingStatus.FUNDED

    @property
    def status_label(self) -> str:
        return str(FundingStatus.LABELS[self.status])

    @property
    def percent_funded(self) -> int | None:
        if not self.costs:
            return None
        return min(100, round(self.sponsored * 100 / self.costs))


def funding_for_year(
    *, school_year: int, children: Iterable[int] | None = None
) -> list[ChildFunding]:
    """Every child with a school place or a sponsorship in the school year, in three queries
    however many children: placements with their school, the year's sponsorships, and the
    payments received from them in the year."""
    first, last = school_year_bounds(school_year)
    placements = SchoolPlacement.objects.filter(school_year=school_year).select_related(
        "child", "school"
    )
    sponsorships = Sponsorship.objects.overlapping(first, last).select_related("child")
    if children is not None:
        ids = list(children)
        placements = placements.filter(child_id__in=ids)
        sponsorships = sponsorships.filter(child_id__in=ids)
    child_of: dict[int, Learner] = {}
    paying: dict[int, list[Sponsorship]] = defaultdict(list)
    sponsored: dict[int, Decimal] = defaultdict(Decimal)
    for sponsorship in sponsorships:
        child_of[sponsorship.child_id] = sponsorship.child
        # Overlapping the year is not paying in it: a yearly one may fall due just outside.
        total = sponsorship_total(sponsorship, school_year=school_year)
        if total > 0:
            paying[sponsorship.child_id].append(sponsorship)
            sponsored[sponsorship.child_id] += total
    received = received_by(
        key="sponsorship__child_id",
        start=first,
        end=last,
        sponsorships=[s.pk for rows in paying.values() for s in rows],
    )
    placement_of = {p.child_id: p for p in placements}
    child_of.update({p.child_id: p.child for p in placement_of.values()})
    rows = [
        ChildFunding(
            child=child,
            school_year=school_year,
            placement=placement_of.get(child_id),
            sponsorships=paying[child_id],
            sponsored=sponsored[child_id],
            received=received.get(child_id, Decimal(0)),
        )
        for child_id, child in child_of.items()
    ]
    rows.sort(key=lambda row: (row.child.preferred_name.lower(), row.child.pk))
    return rows


def funding_needs(*, school_year: int) -> list[ChildFunding]:
    """The coordinators' worklist: children waiting for a sponsor, then the under-funded
    (largest gap first), then sponsored children whose school place is not recorded."""
    return funding_rows_of(
        funding_needs_standings(school_year=school_year), school_year=school_year
    )


# --- the worklist a page at a time -----------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where one child's school year stands, from plain values: enough to order and count the
    worklist without building any model (see :func:`funding_standings`)."""

    child_id: int
    name: str
    costs: Decimal | None  # None: no school place recorded this year
    sponsored: Decimal

    @property
    def gap(self) -> Decimal:
        return max((self.costs or Decimal(0)) - self.sponsored, Decimal(0))

    @property
    def status(self) -> str:
        if self.costs is None:
            return FundingStatus.NO_PLACEMENT
        if self.sponsored <= 0:
            return FundingStatus.WAITING
        return FundingStatus.UNDER_FUNDED if self.gap > 0 else FundingStatus.FUNDED


NEEDS_ORDER = {
    FundingStatus.WAITING: 0,
    FundingStatus.UNDER_FUNDED: 1,
    FundingStatus.NO_PLACEMENT: 2,
}


def funding_standings(*, school_year: int) -> list[Standing]:
    """Every child's standing in the year, in the worklist's order, from two queries of plain
    values (no learner, school or sponsorship objects): a year of a busy centre is a few
    hundred children, and their payment schedules are calendar arithmetic done in Python."""
    first, last = school_year_bounds(school_year)
    costs: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    placements = SchoolPlacement.objects.filter(school_year=school_year).values_list(
        "child_id", "child__preferred_name", "fees", "uniform", "books", "transport", "other_costs"
    )
    for child_id, name, *items in placements:
        costs[child_id], names[child_id] = sum(items, Decimal(0)), name
    sponsored: dict[int, Decimal] = defaultdict(Decimal)
    sponsorships = Sponsorship.objects.overlapping(first, last).values_list(
        "child_id", "child__preferred_name", "starts_on", "ends_on", "amount", "frequency"
    )
    for child_id, name, starts_on, ends_on, amount, frequency in sponsorships:
        promise = Sponsorship(
            starts_on=starts_on, ends_on=ends_on, amount=amount, frequency=frequency
        )
        names[child_id] = name
        sponsored[child_id] += sponsorship_total(promise, school_year=school_year)
    standings = [
        Standing(child_id, name, costs.get(child_id), sponsored[child_id])
        for child_id, name in names.items()
    ]
    standings.sort(key=lambda s: (s.name.lower(), s.child_id))
    return standings


def funding_needs_standings(*, school_year: int, status: str = "") -> list[Standing]:
    """The worklist's children in its order (see :func:`funding_needs`), narrowed to a status."""
    rows = [
        s
        for s in funding_standings(school_year=school_year)
        if s.status in NEEDS_ORDER and (not status or s.status == status)
    ]
    rows.sort(key=lambda s: (NEEDS_ORDER[s.status], -s.gap, s.name.lower()))
    return rows


def funding_rows_of(standings: list[Standing], *, school_year: int) -> list[ChildFunding]:
    """The full figures (school, sponsors, money received) of these children only, in the
    standings' order: a page of the worklist costs the same whatever its length."""
    rows = funding_for_year(school_year=school_year, children=[s.child_id for s in standings])
    by_child = {row.child.pk: row for row in rows}
    return [by_child[s.child_id] for s in standings if s.child_id in by_child]


# --- the funding worklist as a spreadsheet ----------------------------------------------------


def funding_workbook(rows: Iterable[ChildFunding]) -> bytes:
    """The funding worklist as an .xlsx: one row per child, money as numbers in HK$, text
    neutralised so that a name cannot smuggle a formula into Excel."""
    headings = [
        _("Child"),
        _("Learner number"),
        _("School year"),
        _("Grade"),
        _("School"),
        _("Costs"),
        _("Sponsored"),
        pgettext("money received", "Received"),
        _("Gap"),
        _("Sponsors"),
        _("Status"),
    ]
    lines = (
        [
            row.child.preferred_name,
            f"L{row.child.pk}",
            school_year_label(row.school_year),
            row.placement.get_grade_display() if row.placement else "",
            row.placement.school.name if row.placement else "",
            Money(row.costs),
            Money(row.sponsored),
            Money(row.received),
            Money(row.gap),
            row.sponsor_count,
            str(row.status_label),
        ]
        for row in rows
    )
    return table_workbook(
        _("Funding"), headings, lines, widths=[20, 14, 12, 16, 32, 14, 14, 14, 14, 10, 26]
    )
