"""Small-cell suppression: a report of "1 Somali woman aged 60+" identifies her.

The rule, for every breakdown (a set of counts of people and their total):
1. a count from 1 to 4 is shown as "<5" (zero is shown: it names no one);
2. when that leaves a single suppressed cell, or suppressed cells that add up to less than
   5 (two cells of 1 would be given away by their sum of 2), the next smallest counts are
   suppressed too, until neither is true;
3. if the cells run out first, the total is suppressed as well.
So no suppressed count can be worked back from the total and the counts shown. A headline
count of people (learners served, certificates issued) from 1 to 4 is shown as "<5" too.
"""

from dataclasses import dataclass

SUPPRESSED = "<5"
SMALLEST_SHOWN = 5


def is_small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def count_shown(count: int) -> int | str:
    """A headline count of people as it may be shown."""
    return SUPPRESSED if is_small(count) else count


@dataclass(frozen=True)
class Cell:
    label: str
    count: int
    suppressed: bool = False

    @property
    def shown(self) -> int | str:
        return SUPPRESSED if self.suppressed else self.count


@dataclass(frozen=True)
class Breakdown:
    """A breakdown with suppression applied: what the page, the charts and the exports show.
    `overlapping`: a person may count in more than one cell (the audiences of their courses),
    so the cells may add up to more than the total."""

    key: str
    title: str
    cells: list[Cell]
    total: Cell
    overlapping: bool = False

    @property
    def any_suppressed(self) -> bool:
        return any(cell.suppressed for cell in self.cells) or self.total.suppressed


def breakdown_suppress(
    *,
    key: str,
    title: str,
    counts: list[tuple[str, int]],
    total: int,
    total_label: str,
    overlapping: bool = False,
) -> Breakdown:
    """The breakdown of `counts` ((label, count) in display order) with the rule above."""
    hidden = {index for index, (_, count) in enumerate(counts) if is_small(count)}

    def exposed() -> bool:
        return bool(hidden) and (
            len(hidden) == 1 or sum(counts[index][1] for index in hidden) < SMALLEST_SHOWN
        )

    # Next smallest first; among equals, the first listed.
    candidates = sorted(
        (index for index, (_, count) in enumerate(counts) if count > 0 and index not in hidden),
        key=lambda index: (counts[index][1], index),
    )
    while exposed() and candidates:
        hidden.add(candidates.pop(0))
    total_hidden = is_small(total) or exposed()
    return Breakdown(
        key=key,
        title=title,
        cells=[
            Cell(label, count, suppressed=index in hidden)
            for index, (label, count) in enumerate(counts)
        ],
        total=Cell(total_label, total, suppressed=total_hidden),
        overlapping=overlapping,
    )
