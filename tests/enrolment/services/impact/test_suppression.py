"""Small-cell suppression: no count from 1 to 4 is shown, and none can be worked back from
the total and the counts that are shown."""

from enrolment.services.impact.suppression import SUPPRESSED, breakdown_suppress, count_shown


def shown(counts, total=None):
    breakdown = breakdown_suppress(
        key="k",
        title="T",
        counts=list(counts.items()),
        total=sum(counts.values()) if total is None else total,
        total_label="All",
    )
    return {cell.label: cell.shown for cell in breakdown.cells}, breakdown.total.shown


def test_counts_from_one_to_four_show_as_less_than_five():
    assert [count_shown(n) for n in (0, 1, 4, 5, 60)] == [0, SUPPRESSED, SUPPRESSED, 5, 60]


def test_a_lone_small_cell_hides_the_next_smallest_so_the_total_cannot_give_it_away():
    cells, total = shown({"woman": 3, "man": 10, "another": 0, "unknown": 20})
    assert cells == {"woman": "<5", "man": "<5", "another": 0, "unknown": 20}
    assert total == 33  # 33 - 20 = 13 is woman + man, which does not tell either


def test_small_cells_that_add_up_to_less_than_five_hide_one_more():
    # Two hidden cells adding up to 2 could only be 1 and 1.
    cells, total = shown({"a": 1, "b": 1, "c": 7, "d": 30})
    assert cells == {"a": "<5", "b": "<5", "c": "<5", "d": 30}
    assert total == 39


def test_two_small_cells_adding_up_to_five_or_more_stand_alone():
    cells, total = shown({"a": 2, "b": 3, "c": 9})
    assert cells == {"a": "<5", "b": "<5", "c": 9}
    assert total == 14


def test_when_nothing_else_can_be_hidden_the_total_is_hidden_too():
    cells, total = shown({"a": 3, "b": 0})
    assert cells == {"a": "<5", "b": 0}
    assert total == "<5"
    cells, total = shown({"a": 7, "b": 2})  # b is hidden, a next; 9 - ? tells nothing
    assert cells == {"a": "<5", "b": "<5"} and total == 9


def test_nothing_is_hidden_without_a_small_cell():
    cells, total = shown({"a": 0, "b": 12, "c": 5})
    assert cells == {"a": 0, "b": 12, "c": 5} and total == 17
