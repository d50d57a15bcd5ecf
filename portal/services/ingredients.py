"""The school's ingredient lists (models/ingredients.py): the national defaults every school
starts with, the school's own entries, and the questions the ledgers ask of them."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.ingredients import IngredientKind, IngredientRule
from . import records

SCHOOL_RULE = "《学校食品安全与营养健康管理规定》"

# (kind, name, keywords, bulk from kg, reason)
DEFAULTS = [
    (IngredientKind.BULK, "大米", "大米、粳米、籼米", 50, ""),
    (IngredientKind.BULK, "面粉", "面粉", 25, ""),
    (IngredientKind.BULK, "食用油", "食用油、菜籽油、花生油、大豆油、调和油", 20, ""),
    (IngredientKind.BULK, "肉类", "猪肉、牛肉、羊肉、鸡肉、鸭肉、禽肉", 10, ""),
    (IngredientKind.BULK, "鸡蛋", "鸡蛋", 10, ""),
    (IngredientKind.QUARANTINE, "畜禽肉", "猪肉、牛肉、羊肉、鸡肉、鸭肉、鹅肉、禽肉", None, ""),
    (
        IngredientKind.BANNED,
        "未烧熟的四季豆",
        "生四季豆、凉拌四季豆、凉拌豆角",
        None,
        "四季豆须烧熟煮透，不得凉拌或生食",
    ),
    (IngredientKind.BANNED, "鲜黄花菜", "鲜黄花菜、鲜金针菜", None, "鲜黄花菜含秋水仙碱，学校食堂不得加工"),
    (IngredientKind.BANNED, "野生蘑菇", "野生蘑菇、野蘑菇、野生菌", None, "学校食堂不得加工野生蘑菇"),
    (IngredientKind.BANNED, "发芽马铃薯", "发芽土豆、发芽马铃薯", None, "发芽马铃薯含龙葵素，不得加工"),
    (
        IngredientKind.BANNED,
        "冷荤类食品",
        "冷荤、凉拌肉、凉拌牛肉、凉拌鸡、白切鸡、卤味拼盘",
        None,
        f"中小学食堂不得制售冷荤类食品（{SCHOOL_RULE}）",
    ),
    (
        IngredientKind.BANNED,
        "生食类食品",
        "生鱼片、刺身、生食、醉虾",
        None,
        f"中小学食堂不得制售生食类食品（{SCHOOL_RULE}）",
    ),
    (IngredientKind.BANNED, "裱花蛋糕", "裱花", None, f"中小学食堂不得制售裱花蛋糕（{SCHOOL_RULE}）"),
    (IngredientKind.BANNED, "亚硝酸盐", "亚硝酸盐", None, f"学校食堂禁止采购、贮存、使用亚硝酸盐（{SCHOOL_RULE}）"),
]

# An item's quantity in kg, from the units a school writes; None for a unit of count (a bag).
KG_PER_UNIT = {"kg": 1, "公斤": 1, "千克": 1, "斤": Decimal("0.5"), "g": Decimal("0.001"), "克": Decimal("0.001")}


def add_defaults(school_id):
    """A new school's lists, from the national defaults."""
    for kind, name, keywords, bulk_from_kg, reason in DEFAULTS:
        db.session.add(
            IngredientRule(
                school_id=school_id,
                kind=kind,
                name=name,
                keywords=keywords,
                bulk_from_kg=Decimal(bulk_from_kg) if bulk_from_kg else None,
                reason=reason,
            )
        )


def save_rule(actor, rule, before):
    records.assign_school(actor, rule)
    rule.name = (rule.name or "").strip()
    rule.keywords = (rule.keywords or "").strip()
    if not rule.name:
        raise DomainError(_l("Name the entry."), field="name")
    if not rule.words:
        raise DomainError(_l("Give at least one word that names it in a dish or an item."), field="keywords")
    if rule.kind is IngredientKind.BULK and not rule.bulk_from_kg:
        raise DomainError(_l("Say from how many kg a delivery of it is bulk."), field="bulk_from_kg")
    if rule.kind is IngredientKind.BANNED and not (rule.reason or "").strip():
        raise DomainError(_l("Say why it is banned: the cook reads it when a dish is refused."), field="reason")
    return records.save_record(actor, rule, before)


def rules_of(school_id, kind):
    return db.session.scalars(
        sa.select(IngredientRule)
        .where(IngredientRule.school_id == school_id, IngredientRule.kind == kind, IngredientRule.active.is_(True))
        .order_by(IngredientRule.id)
    ).all()


def refuse_banned(school_id, name, field):
    """A dish or an item that is a banned or high-risk food is refused, with the reason."""
    for rule in rules_of(school_id, IngredientKind.BANNED):
        if rule.matches(name):
            raise DomainError(
                _l("%(name)s is not allowed: %(reason)s.", name=name, reason=rule.reason.rstrip("。")), field=field
            )


def kilograms(item):
    factor = KG_PER_UNIT.get((item.unit or "").strip().lower())
    return None if factor is None or item.quantity is None else Decimal(item.quantity) * Decimal(factor)


def is_bulk(item, bulk_rules):
    """On the bulk list, and at or above its quantity (any quantity in bags or barrels)."""
    for rule in bulk_rules:
        if rule.matches(item.name):
            weight = kilograms(item)
            return weight is None or weight >= rule.bulk_from_kg
    return False


def needs_quarantine(item, quarantine_rules):
    return any(rule.matches(item.name) for rule in quarantine_rules)
