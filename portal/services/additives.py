"""食品添加剂 "五专" (models/additive.py): the school's additives, each with its fixed shop, locked
cabinet, responsible person and own tools; the ledger of their use, written only by the person
responsible, for a dish on the menu, within GB 2760's limit where the additive has one. A
delivery of an additive from any other shop is refused (services/purchasing.py asks
``refuse_other_shop``)."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..errors import DomainError
from ..extensions import db
from ..figures import Figure, register
from ..models.additive import Additive, AdditiveUse
from ..models.canteen import MenuDish
from ..timeutil import utcnow
from . import records
from .canteen import refuse_unserved_meal, require_member

# Above this a quantity is a typing error: a school canteen weighs additives in grams.
MOST_GRAMS = Decimal(10000)


def save_additive(actor, additive, before):
    records.assign_school(actor, additive)
    additive.name = (additive.name or "").strip()
    additive.cabinet = (additive.cabinet or "").strip()
    additive.tools = (additive.tools or "").strip()
    if not additive.name:
        raise DomainError(_l("Name the additive."), field="name")
    if additive.supplier is None or additive.supplier.school_id != additive.school_id:
        raise DomainError(_l("Choose the fixed shop it is bought from."), field="supplier")
    if not additive.cabinet:
        raise DomainError(_l("Say which locked cabinet it is kept in."), field="cabinet")
    require_member(additive, additive.keeper, "keeper")
    if not additive.tools:
        raise DomainError(_l("Name its own tools (a spoon, a scale)."), field="tools")
    if additive.limit_g_per_kg is not None and additive.limit_g_per_kg <= 0:
        raise DomainError(_l("The limit is more than 0 g per kg, or left empty."), field="limit_g_per_kg")
    return records.save_record(actor, additive, before)


def record_use(actor, use, now=None):
    """One use, written by the additive's responsible person, on the day of the dish."""
    records.assign_school(actor, use)
    additive, dish = use.additive, use.dish
    if additive is None or additive.school_id != actor.school_id or not additive.active:
        raise DomainError(_l("Choose an additive of this school that is in use."), field="additive")
    if dish is None or dish.school_id != actor.school_id or dish.is_withdrawn:
        raise DomainError(_l("Choose a dish of the menu."), field="dish")
    refuse_unserved_meal(dish)
    if actor.id != additive.keeper_id:
        raise DomainError(
            _l(
                "%(additive)s is used only by %(person)s, who is responsible for it (五专).",
                additive=additive.name,
                person=additive.keeper.display_name,
            ),
            field="additive",
        )
    use.used_by, use.used_at = actor, use.used_at or now or utcnow()
    if use.grams is None or not Decimal(0) < use.grams <= MOST_GRAMS:
        raise DomainError(_l("Enter the grams used, more than 0 and at most 10,000."), field="grams")
    _check_limit(use)
    records.save_record(actor, use, None, now)
    return use


def _check_limit(use):
    limit = use.additive.limit_g_per_kg
    if limit is None:
        return
    if use.food_kg is None or use.food_kg <= 0:
        raise DomainError(
            _l("%(additive)s has a limit: enter the kg of food it went into.", additive=use.additive.name),
            field="food_kg",
        )
    if use.grams > limit * use.food_kg:
        raise DomainError(
            _l(
                "%(grams)s g in %(kg)s kg is more than the limit of %(limit)s g per kg (GB 2760): at most %(most)s g.",
                grams=use.grams,
                kg=use.food_kg,
                limit=limit.normalize(),
                most=(limit * use.food_kg).quantize(Decimal("0.1")),
            ),
            field="grams",
        )


def refuse_other_shop(school_id, item_name, supplier, field):
    """An additive comes from its fixed shop only."""
    additive = db.session.scalar(
        sa.select(Additive).where(Additive.school_id == school_id, Additive.name == item_name, Additive.active)
    )
    if additive is not None and additive.supplier_id != supplier.id:
        raise DomainError(
            _l(
                "%(additive)s is a food additive bought only from %(shop)s (五专).",
                additive=additive.name,
                shop=additive.supplier.name,
            ),
            field=field,
        )


def additives_of(school_id):
    return db.session.scalars(
        sa.select(Additive).where(Additive.school_id == school_id, Additive.active).order_by(Additive.name)
    ).all()


def uses_on(school_id, day):
    return db.session.scalars(
        sa.select(AdditiveUse)
        .join(MenuDish, MenuDish.id == AdditiveUse.dish_id)
        .where(AdditiveUse.school_id == school_id, MenuDish.day == day, AdditiveUse.standing())
        .options(joinedload(AdditiveUse.additive), joinedload(AdditiveUse.dish), joinedload(AdditiveUse.used_by))
        .order_by(AdditiveUse.used_at)
    ).all()


def counts_many(school_ids, first, last):
    """{school id: (uses recorded,)}."""
    return records.counts_by_school(AdditiveUse, school_ids, first, last)


register(
    Figure(
        "additive_uses",
        _l("Food additive uses recorded"),
        counts_many,
        lambda counts: _l("Food additive uses recorded (五专 ledger)"),
    )
)
