"""Checklist templates and their versions, and the default canteen checklist."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.checklist import ChecklistEntry, ChecklistTemplate, ChecklistVersion, VersionStatus
from ..timeutil import utcnow
from . import audit, records

DEFAULT_TEMPLATE_NAME = "食堂检查表"

# The school's control points (采购、运输、入库、贮存、出库、加工、烹饪、留样、陪餐), washing and
# disinfection, the four preventions and staff, as the regulations write them:
# 《学校食品安全与营养健康管理规定》(2019) and 《餐饮服务食品安全操作规范》(2018).
DEFAULT_CHECKLIST = [
    ("采购", "从具有合法资质的供货单位采购，供货商许可证在有效期内"),
    ("采购", "索证索票齐全：产品合格证明、检验报告、票据"),
    ("运输", "运输车辆、容器清洁，生熟分开，冷链食品温度符合要求"),
    ("入库", "进货查验记录完整：名称、规格、数量、生产日期或批号、保质期、供货者"),
    ("入库", "大宗食品由两人以上共同验收"),
    ("贮存", "生熟分开存放，原料、半成品、成品分区"),
    ("贮存", "离地离墙 10 厘米以上，分类分架，标识清楚"),
    ("贮存", "冷藏设备 0～8℃、冷冻设备 -18℃ 以下，温度有记录"),
    ("贮存", "库房内无有毒有害物品、无个人物品"),
    ("出库", "先进先出，出库有记录"),
    ("出库", "无过期、变质、超过保质期的食品"),
    ("加工", "蔬菜经粗加工、细加工后漂洗、焯水"),
    ("加工", "生熟工具、容器分开使用并有标识"),
    ("加工", "未加工四季豆、鲜黄花菜、野生蘑菇、发芽土豆等高风险食品"),
    ("烹饪", "食品烧熟煮透，中心温度不低于 70℃"),
    ("烹饪", "未制售冷荤类、生食类食品和裱花蛋糕，未使用亚硝酸盐"),
    ("留样", "每餐每种菜品均已留样"),
    ("留样", "每份留样不少于 125 克，密封、标签完整（餐次、品名、时间、留样人）"),
    ("留样", "留样冷藏保存 48 小时以上，专柜专人上锁"),
    ("陪餐", "学校领导陪餐并有陪餐记录"),
    ("洗消", "餐后餐饮具清洗消毒：高温（煮沸、蒸汽 100℃ 10 分钟以上）或 84 消毒液（250mg/L 以上浸泡 5 分钟以上）"),
    ("洗消", "消毒后餐饮具存放于保洁柜，有消毒记录"),
    ("环境消毒", "库房、操作间定期消毒，有记录"),
    ("四防", "防鼠：防鼠板、挡鼠网完好，无鼠迹"),
    ("四防", "防蚊蝇：纱窗、灭蝇灯完好有效"),
    ("四防", "防虫：无蟑螂等虫害"),
    ("四防", "防尘：食品加盖，操作间清洁"),
    ("人员", "从业人员晨检已完成，有记录"),
    ("人员", "上岗人员健康证均在有效期内"),
    ("人员", "穿戴清洁的工作衣帽，不留长指甲、不戴饰物"),
]


def create_default_template(actor, school_id):
    template = ChecklistTemplate(school_id=school_id, name=DEFAULT_TEMPLATE_NAME)
    version = ChecklistVersion(school_id=school_id, number=1, status=VersionStatus.PUBLISHED, published_at=utcnow())
    for position, (section, text) in enumerate(DEFAULT_CHECKLIST):
        version.entries.append(ChecklistEntry(school_id=school_id, position=position, section=section, text=text))
    template.versions.append(version)
    db.session.add(template)
    db.session.flush()
    audit.record(actor, "checklist.created", template, after={"name": template.name, "items": len(DEFAULT_CHECKLIST)})
    return template


def default_template(school_id):
    return db.session.scalar(
        sa.select(ChecklistTemplate)
        .where(ChecklistTemplate.school_id == school_id)
        .order_by(ChecklistTemplate.id)
        .limit(1)
    )


def version_to_use(rule, school_id):
    """The published version of the rule's template, else of the school's first template."""
    template = rule.template if rule is not None and rule.template is not None else default_template(school_id)
    return template.published_version if template is not None else None


def start_new_version(actor, template):
    """A draft copy of the published version, to edit and then publish."""
    if any(v.is_draft for v in template.versions):
        raise DomainError(_l("This checklist already has a draft version: edit that one."))
    current = template.published_version
    number = max((v.number for v in template.versions), default=0) + 1
    draft = ChecklistVersion(school_id=template.school_id, number=number, status=VersionStatus.DRAFT)
    for entry in current.entries if current else []:
        draft.entries.append(
            ChecklistEntry(
                school_id=template.school_id,
                position=entry.position,
                section=entry.section,
                text=entry.text,
                rule_id=entry.rule_id,
            )
        )
    template.versions.append(draft)
    db.session.flush()
    audit.record(actor, "checklist.version_started", draft, after={"template": template.name, "version": number})
    return draft


def save_draft_version(actor, version, before):
    if before is not None and before.get("status") != VersionStatus.DRAFT.value:
        raise DomainError(_l("A version in use is never changed: start a new version instead."))
    version.status = VersionStatus.DRAFT
    for position, entry in enumerate(version.entries):
        entry.school_id = version.school_id
        entry.position = position
        entry.section = (entry.section or "").strip()
        if not entry.section or not (entry.text or "").strip():
            raise DomainError(_l("Every item needs a section and a text."), field="entries")
    return records.save_record(actor, version, before)


def publish(actor, version):
    if not version.is_draft:
        raise DomainError(_l("Only a draft version can be published."))
    if not version.entries:
        raise DomainError(_l("A checklist needs at least one item."))
    for other in version.template.versions:
        if other.status is VersionStatus.PUBLISHED:
            other.status = VersionStatus.SUPERSEDED
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    audit.record(
        actor, "checklist.published", version, after={"template": version.template.name, "version": version.number}
    )


def delete_draft_version(actor, version):
    if not version.is_draft:
        raise DomainError(_l("A version that was in use is part of the record and cannot be deleted."))
    records.delete_record(actor, version)
