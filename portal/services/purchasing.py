"""进货查验: suppliers and their licences, deliveries checked item by item, accepted by
enough people, and kept as long as the rules say."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.file import StoredFile
from ..models.ingredients import IngredientKind
from ..models.purchasing import Delivery, DeliveryResult, Supplier, delivery_ticket
from . import additives, files, ingredients, ledgers, records, supplier_review
from .canteen import refuse_future_day, require_member, settings_of, start_record


def save_supplier(actor, supplier, before):
    records.assign_school(actor, supplier)
    supplier.name = (supplier.name or "").strip()
    supplier.licence_number = (supplier.licence_number or "").strip()
    if not supplier.name:
        raise DomainError(_l("Name the supplier."), field="name")
    if not supplier.licence_number:
        raise DomainError(_l("Enter the supplier's licence number."), field="licence_number")
    return records.save_record(actor, supplier, before)


def check_delivery(delivery, now=None):
    refuse_future_day(delivery, now)
    supplier = delivery.supplier
    if supplier is None or supplier.school_id != delivery.school_id:
        raise DomainError(_l("Choose a supplier of this school."), field="supplier")
    supplier_review.refuse_exited(delivery)
    if not delivery.items:
        raise DomainError(_l("List at least one item of the delivery."), field="items")
    for item in delivery.items:
        item.name, item.unit = (item.name or "").strip(), (item.unit or "").strip()
        if not item.name:
            raise DomainError(_l("Each item needs a name."), field="items")
        if not item.unit or item.quantity is None or item.quantity <= 0:
            raise DomainError(_l("%(item)s: enter a quantity above zero and its unit.", item=item.name), field="items")
        if item.production_date is not None and item.production_date > delivery.day:
            raise DomainError(_l("%(item)s: the production date is after the delivery.", item=item.name), field="items")
        if item.shelf_life_days is not None and item.shelf_life_days <= 0:
            raise DomainError(_l("%(item)s: the shelf life is at least one day.", item=item.name), field="items")
        ingredients.refuse_banned(delivery.school_id, item.name, "items")
        additives.refuse_other_shop(delivery.school_id, item.name, supplier, "items")
    for person in delivery.acceptors:
        require_member(delivery, person, "acceptors")
    # Bulk is what the school's list says, not a box the acceptor ticks.
    bulk_rules = ingredients.rules_of(delivery.school_id, IngredientKind.BULK)
    delivery.bulk = any(ingredients.is_bulk(item, bulk_rules) for item in delivery.items)
    needed = settings_of(delivery).bulk_acceptors if delivery.bulk else 1
    if len(delivery.acceptors) < needed:
        raise DomainError(
            _l("A delivery of bulk ingredients is accepted by at least %(n)d people.", n=needed)
            if delivery.bulk
            else _l("Name who accepted the delivery."),
            field="acceptors",
        )
    delivery.rejection_reason = (delivery.rejection_reason or "").strip()
    if delivery.result is DeliveryResult.REJECTED and not delivery.rejection_reason:
        raise DomainError(_l("Say why the delivery was rejected."), field="rejection_reason")
    if delivery.result is DeliveryResult.ACCEPTED:
        delivery.rejection_reason = ""
    # Flagged, not refused: the food may already be in the storeroom; the record says so.
    delivery.licence_expired = not supplier.licence_valid_on(delivery.day)


def save_delivery(actor, delivery, before, *, tickets=(), now=None):
    """``tickets`` are stored ticket files (see store_tickets), linked to the delivery here."""
    start_record(actor, delivery, "recorded_by", now)
    for item in delivery.items:
        item.school_id = delivery.school_id
    check_delivery(delivery, now)
    delivery.tickets.extend(ticket for ticket in tickets if ticket not in delivery.tickets)
    # 索证索票: flagged, not refused (the food may be in the storeroom already).
    delivery.missing_ticket = not any(t.purpose == files.TICKET.name for t in delivery.tickets)
    quarantine_rules = ingredients.rules_of(delivery.school_id, IngredientKind.QUARANTINE)
    delivery.missing_quarantine = any(
        ingredients.needs_quarantine(item, quarantine_rules) for item in delivery.items
    ) and not any(t.purpose == files.QUARANTINE.name for t in delivery.tickets)
    return records.save_record(actor, delivery, before, now)


def store_tickets(actor, uploads, kind=files.TICKET):
    """Ticket and certificate scans are stored as they arrive, before the delivery is checked,
    so a refused delivery keeps them for the next try (see kept_tickets)."""
    return [files.store_upload(actor, actor.school_id, upload, kind) for upload in uploads if files.is_present(upload)]


def kept_tickets(actor, ids):
    """Tickets this person stored for a delivery that was refused: their own, of their
    school, not yet part of any delivery. Other ids are ignored."""
    wanted = {int(value) for value in ids if str(value).isdigit() and len(str(value)) < 19}
    if not wanted:
        return []
    linked = sa.select(delivery_ticket.c.stored_file_id)
    return db.session.scalars(
        sa.select(StoredFile)
        .where(
            StoredFile.id.in_(wanted),
            StoredFile.school_id == actor.school_id,
            StoredFile.uploaded_by_id == actor.id,
            StoredFile.purpose.in_([files.TICKET.name, files.QUARANTINE.name]),
            StoredFile.id.not_in(linked),
        )
        .order_by(StoredFile.id)
    ).all()


def keep_until(delivery):
    settings = settings_of(delivery)
    return delivery.retention_ends(settings.delivery_keep_months, settings.delivery_keep_years)


def delete_delivery(actor, delivery, today=None):
    ledgers.refuse_if_kept(delivery, today)
    records.delete_record(actor, delivery)


def flags(delivery):
    """What is wrong with a delivery, said on the board, in the risk report and the evidence."""
    found = []
    if delivery.licence_expired:
        found.append(_l("licence expired"))
    if delivery.missing_ticket:
        found.append(_l("no ticket or invoice"))
    if delivery.missing_quarantine:
        found.append(_l("no quarantine certificate for the meat"))
    if delivery.result is DeliveryResult.REJECTED:
        found.append(_l("Rejected: %(reason)s", reason=delivery.rejection_reason))
    return found


def suppliers(school_id):
    return db.session.scalars(
        sa.select(Supplier).where(Supplier.school_id == school_id, Supplier.active.is_(True)).order_by(Supplier.name)
    ).all()


def deliveries_on(school_id, day):
    return db.session.scalars(
        sa.select(Delivery)
        .where(Delivery.school_id == school_id, Delivery.day == day, Delivery.standing())
        .order_by(Delivery.id)
    ).all()
