"""The figures the compliance page of a school and the county's table show beside the cadence
(pesticide tests and their positives, incidents told late, complaints answered late...): each a
few counts, registered at the foot of the service that owns its records and counted for many
schools in one query. This registry knows no domain; the pages loop over it."""

from dataclasses import dataclass

DANGER = "danger"
WARNING = "warning"


@dataclass(frozen=True)
class Figure:
    key: str
    # The county table's column heading: what the first count is, and those in brackets.
    heading: object
    # (school ids, first day, last day) -> {school id: (count, ...)} in one query.
    count_many: object
    # (counts) -> the school page's words beside the first count.
    describe: object
    # (counts) -> DANGER, WARNING or None: how the counts are shown.
    alarm: object = None
    # A figure that is only news when something happened (an incident) is left off a school's
    # page while its first count is 0.
    shown_at_zero: bool = True

    def state(self, counts):
        return self.alarm(counts) if self.alarm else None


FIGURES = {}


def register(figure):
    if figure.key in FIGURES:
        raise ValueError(f"a figure is registered twice: {figure.key}")
    FIGURES[figure.key] = figure
    return figure


def figures():
    return list(FIGURES.values())


def counts_many(school_ids, first, last):
    """{figure key: {school id: counts}}."""
    return {figure.key: figure.count_many(school_ids, first, last) for figure in figures()}
