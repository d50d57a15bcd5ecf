"""Suppliers' evaluation and exit (models/supplier_review.py): the semester's deliveries' own
record beside the scores, a total out of 100 (60 passes), and the exit that stops deliveries."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..figures import WARNING, Figure, register
from ..models.pesticide import PesticideTest
from ..models.purchasing import Delivery, DeliveryItem, DeliveryResult, Supplier
from ..models.supplier_review import CRITERIA, PASSES_FROM, SupplierEvaluation
from ..timeutil import school_today
from . import audit, records
from .calendar import current_term
from .canteen import start_record


@dataclass
class DeliveryRecord:
    deliveries: int = 0
    rejected: int = 0
    missing_ticket: int = 0
    missing_quarantine: int = 0
    licence_expired: int = 0
    pesticide_positive: int = 0

    def text(self):
        return _(
            "%(n)d deliveries: %(rejected)d rejected, %(tickets)d without tickets, %(quarantine)d meat without "
            "its quarantine certificate, %(licence)d with the licence expired, %(positive)d pesticide positives.",
            n=self.deliveries,
            rejected=self.rejected,
            tickets=self.missing_ticket,
            quarantine=self.missing_quarantine,
            licence=self.licence_expired,
            positive=self.pesticide_positive,
        )


def semester_of(school, today=None):
    """The current term so far, or the month so far without one."""
    today = today or school_today(school)
    term = current_term(school.id, today)
    return (term.starts_on, min(term.ends_on, today)) if term else (today.replace(day=1), today)


def delivery_record(supplier, first, last):
    """What the supplier's deliveries first..last say of it, in two queries."""
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Delivery.result == DeliveryResult.REJECTED),
            sa.func.count().filter(Delivery.missing_ticket.is_(True)),
            sa.func.count().filter(Delivery.missing_quarantine.is_(True)),
            sa.func.count().filter(Delivery.licence_expired.is_(True)),
        ).where(Delivery.supplier_id == supplier.id, Delivery.day.between(first, last), Delivery.standing())
    ).one()
    positives = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PesticideTest)
        .join(DeliveryItem, DeliveryItem.id == PesticideTest.delivery_item_id)
        .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
        .where(
            Delivery.supplier_id == supplier.id,
            PesticideTest.day.between(first, last),
            PesticideTest.positive.is_(True),
            PesticideTest.standing(),
        )
    )
    return DeliveryRecord(*row, pesticide_positive=positives)


def evaluate(actor, supplier, scores, note="", now=None):
    """The semester's evaluation: each criterion scored within its points."""
    if supplier.school_id != actor.school_id:
        raise DomainError(_l("Choose a supplier of this school."))
    evaluation = SupplierEvaluation(supplier=supplier, day=school_today(actor.school, now))
    start_record(actor, evaluation, "evaluated_by", now)
    kept = {}
    for key, name, most in CRITERIA:
        points = scores.get(key)
        if points is None or not 0 <= points <= most:
            raise DomainError(_l("%(criterion)s: from 0 to %(most)d points.", criterion=name, most=most), field=key)
        kept[key] = int(points)
    evaluation.scores, evaluation.total = kept, sum(kept.values())
    evaluation.delivery_record = delivery_record(supplier, *semester_of(actor.school, evaluation.day)).text()
    evaluation.note = (note or "").strip()[:2000]
    records.save_record(actor, evaluation, None, now)
    return evaluation


def exit_supplier(actor, supplier, day, reason):
    """退出: from ``day`` on the supplier delivers no more."""
    if supplier.school_id != actor.school_id:
        raise DomainError(_l("Choose a supplier of this school."))
    if day is None:
        raise DomainError(_l("Enter the day it exits."), field="exited_on")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why it exits: the evaluation, or what happened."), field="exit_reason")
    before = audit.snapshot(supplier)
    supplier.exited_on, supplier.exit_reason = day, reason[:2000]
    records.save_record(actor, supplier, before)


def refuse_exited(delivery):
    supplier = delivery.supplier
    if supplier.exited_by(delivery.day):
        raise DomainError(
            _l(
                "%(supplier)s exited on %(day)s (%(reason)s): it delivers no more.",
                supplier=supplier.name,
                day=supplier.exited_on.isoformat(),
                reason=supplier.exit_reason,
            ),
            field="supplier",
        )


def evaluations_of(supplier):
    return db.session.scalars(
        sa.select(SupplierEvaluation)
        .where(SupplierEvaluation.supplier_id == supplier.id, SupplierEvaluation.standing())
        .order_by(SupplierEvaluation.day.desc())
    ).all()


def suppliers_with_last_evaluation(school_id):
    """[(supplier, its latest evaluation or None)], by name."""
    suppliers = db.session.scalars(sa.select(Supplier).where(Supplier.school_id == school_id).order_by(Supplier.name))
    return [(supplier, next(iter(evaluations_of(supplier)), None)) for supplier in suppliers]


def counts_many(school_ids, first, last):
    """{school id: (evaluations, of them failed)}."""
    failed = SupplierEvaluation.total < PASSES_FROM
    return records.counts_by_school(SupplierEvaluation, school_ids, first, last, failed)


register(
    Figure(
        "supplier_evaluations",
        _l("Supplier evaluations (did not pass)"),
        counts_many,
        lambda counts: _l("Supplier evaluations, %(n)d below 60 points", n=counts[1]),
        alarm=lambda counts: WARNING if counts[1] else None,
    )
)
