"""农药残留快检 (models/pesticide.py): a delivery's vegetables or fruit tested as they come in.
The enzyme-inhibition method's rate decides positive (50 % or more); a test card is read.
A positive batch needs what was done with it, and the storeroom neither puts it away nor
issues it (services/storeroom.py asks ``positive_items``)."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from ..errors import DomainError
from ..extensions import db
from ..figures import WARNING, Figure, register
from ..models.pesticide import POSITIVE_FROM_PERCENT, PesticideTest, ScreeningMethod
from ..models.purchasing import DeliveryResult
from . import records
from .canteen import start_record


def record_test(actor, delivery_item, test, now=None):
    """The test of one item of a delivery (``test`` a new PesticideTest with its method, rate
    or card reading, and action), on the delivery's day, once per item."""
    delivery = delivery_item.delivery
    if delivery.school_id != actor.school_id:
        raise NotFound(_l("Record not found."))
    if delivery.result is not DeliveryResult.ACCEPTED or delivery.is_withdrawn:
        raise DomainError(_l("Only goods of an accepted delivery are tested here."))
    test.delivery_item, test.day = delivery_item, delivery.day
    start_record(actor, test, "tested_by", now)
    _read(test)
    test.action = (test.action or "").strip()[:300]
    if test.positive and not test.action:
        raise DomainError(
            _l(
                "Positive (GB/T 5009.199—2003): the batch is not used. Say what was done with it: returned to the "
                "supplier, or destroyed before a witness."
            ),
            field="action",
        )
    if test_of(delivery_item) is not None:
        raise DomainError(_l("This item is tested already."))
    records.save_record(actor, test, None, now)
    return test


def _read(test):
    if test.method is ScreeningMethod.ENZYME_INHIBITION:
        rate = test.inhibition_percent
        if rate is None or not Decimal(0) <= rate <= Decimal(100):
            raise DomainError(_l("Enter the inhibition rate, from 0 to 100."), field="inhibition_percent")
        test.positive = rate >= POSITIVE_FROM_PERCENT
    elif test.method is ScreeningMethod.TEST_CARD:
        test.inhibition_percent = None
        if test.positive is None:
            raise DomainError(_l("Say how the card reads: positive or negative."), field="positive")
    else:
        raise DomainError(_l("Choose the method."), field="method")


def test_of(delivery_item):
    return db.session.scalar(
        sa.select(PesticideTest).where(PesticideTest.delivery_item_id == delivery_item.id, PesticideTest.standing())
    )


def tests_of(items):
    """{delivery item id: its standing test} for ``items``, in one query."""
    ids = [item.id for item in items]
    if not ids:
        return {}
    return {
        test.delivery_item_id: test
        for test in db.session.scalars(
            sa.select(PesticideTest).where(PesticideTest.delivery_item_id.in_(ids), PesticideTest.standing())
        )
    }


def positive_items(item_ids):
    """The delivery items among ``item_ids`` whose standing test is positive."""
    ids = [item_id for item_id in item_ids if item_id is not None]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(PesticideTest.delivery_item_id).where(
                PesticideTest.delivery_item_id.in_(ids), PesticideTest.positive.is_(True), PesticideTest.standing()
            )
        )
    )


def counts_many(school_ids, first, last):
    """{school id: (tests, positives)} first..last, one grouped query."""
    return records.counts_by_school(PesticideTest, school_ids, first, last, PesticideTest.positive.is_(True))


def positive_text(name):
    return _l(
        "%(name)s tested positive for pesticide residues (GB/T 5009.199—2003): it is neither put away nor "
        "issued; return it to the supplier or destroy it, and take it off the shelf.",
        name=name,
    )


register(
    Figure(
        "pesticide_tests",
        _l("Pesticide rapid tests (positive)"),
        counts_many,
        lambda counts: _l("Pesticide rapid tests, %(n)d positive (returned or destroyed)", n=counts[1]),
        alarm=lambda counts: WARNING if counts[1] else None,
    )
)
