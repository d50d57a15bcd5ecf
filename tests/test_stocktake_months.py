"""A stocktake is owed from the month the storeroom first held stock: the months before it
are not missing stocktakes (the evidence counted them as such)."""

from datetime import date

from portal.services import stocktakes
from tests import factories
from tests.factories import LEDGER_DAY

MONTHS = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


def test_no_stock_ever_owes_no_stocktake(school):
    assert stocktakes.months_due(school.id, MONTHS) == []


def test_the_months_from_the_first_stock_owe_one(school):
    people = factories.school_staff(school)
    factories.stock(school, people.keeper, quantity=5, day=LEDGER_DAY)  # 16 September
    assert stocktakes.months_due(school.id, MONTHS) == MONTHS[2:]
