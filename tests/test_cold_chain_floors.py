"""A fridge or freezer is never set looser than 《餐饮服务食品安全操作规范》 (2.26 refrigerated
0–8 ℃, 2.27 frozen below −12 ℃): at the boundary, through the service with the rule named,
through the admin form, and by the database for whoever writes past the portal."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import ColdUnit, ColdUnitKind
from tests import factories
from tests.conftest import refused
from tests.tamper import refused_by_the_database

D = Decimal
FRIDGE, FREEZER, SAMPLES = ColdUnitKind.REFRIGERATOR, ColdUnitKind.FREEZER, ColdUnitKind.SAMPLE_FRIDGE


@pytest.mark.parametrize(
    "kind, lowest, highest",
    [(FRIDGE, "0.0", "8.0"), (SAMPLES, "2.0", "6.0"), (FREEZER, None, "-12.0"), (FREEZER, "-30.0", "-18.0")],
)
def test_a_range_within_the_rule_is_kept(school, kind, lowest, highest):
    unit = factories.create_cold_unit(school, kind=kind, lowest_c=D(lowest) if lowest else None, highest_c=D(highest))
    assert (unit.lowest_c, unit.highest_c) == (D(lowest) if lowest else None, D(highest))


@pytest.mark.parametrize(
    "kind, lowest, highest",
    [
        (FRIDGE, "0.0", "8.1"),
        (FRIDGE, "-0.1", "8.0"),
        (FRIDGE, "0.0", "12.0"),
        (SAMPLES, None, "8.0"),
        (FREEZER, None, "-11.9"),
        (FREEZER, None, "-5.0"),
    ],
)
def test_a_looser_range_is_refused_naming_the_rule(school, kind, lowest, highest):
    refused(
        lambda: factories.create_cold_unit(
            school, kind=kind, lowest_c=D(lowest) if lowest else None, highest_c=D(highest)
        ),
        "《餐饮服务食品安全操作规范》",
        "不得放宽",
    )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ColdUnit)) == 0


@pytest.mark.parametrize(
    "kind, statement",
    [
        (FRIDGE, "UPDATE cold_unit SET highest_c = 8.1"),
        (FRIDGE, "UPDATE cold_unit SET lowest_c = NULL"),
        (FREEZER, "UPDATE cold_unit SET highest_c = -11.9"),
    ],
)
def test_the_database_refuses_a_looser_range(school, kind, statement):
    factories.create_cold_unit(school, kind=kind)
    assert "national_range" in refused_by_the_database(statement)
