"""The Chinese UI shows words, not codes: the audit trail names the action, the record and
each changed field in Chinese, and shows values before and after as a reader writes them."""

import ast
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.labels import RECORDS, SUBJECTS, VERBS, action_label, record_name
from portal.models import AuditEvent, Role, User
from portal.models.registry import kinds
from tests.conftest import login

ACTION_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b(?:user|task|rule|school)\.[a-z_]+\b")
NAMED = set(RECORDS) | {kind.model.__name__ for kind in kinds()}  # ledgers name theirs in the registry
CLASS_NAMES = re.compile(r"\b(?:" + "|".join(sorted(NAMED, key=len, reverse=True)) + r")\b")
RAW_JSON = re.compile(r'\{"|":\s|\bschool:\d+')


def visible_text(html):
    """The text a reader sees: no tags, scripts or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<div [^>]*class="d-none"[^>]*>.*?</div>', " ", html, flags=re.S)  # Flask-Admin's filter data
    return re.sub(r"<[^>]+>", " ", html)


def codes_in(text):
    return ACTION_CODE.findall(text) + CLASS_NAMES.findall(text) + RAW_JSON.findall(text)


def _actions_in_source():
    """Every action the code writes to the audit trail: the literal second argument of each
    audit.record(...) call, and the generic created/updated/deleted/signed of each record."""
    actions = set()
    for path in Path("portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and getattr(node.func.value, "id", None) == "audit"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                actions.add(node.args[1].value)
    generic = {f"{table}.{verb}" for table in _subjects() for verb in ("created", "updated", "deleted", "signed")}
    return actions | generic


def _subjects():
    tables = {mapper.local_table.name for mapper in db.Model.registry.mappers}
    return tables | set(SUBJECTS)


def test_every_action_the_code_writes_has_words(app):
    actions = _actions_in_source()
    assert {"task.verified", "user.login", "inspection.signed_off"} <= actions
    for action in actions:
        subject, verb = action.split(".")
        assert verb in VERBS, action
        assert not re.search(r"[a-z]_|\.", action_label(action)), (action, action_label(action))
    for mapper in db.Model.registry.mappers:
        name = mapper.class_.__name__
        if name not in ("AuditEvent", "AuditChainHead", "Notification", "PasswordFailure", "StoredFile", "UserRole"):
            assert name in NAMED and record_name(name) != name, name


def test_the_audit_trail_reads_in_chinese(client, demo_county):
    principal = db.session.scalar(sa.select(User).where(User.username == "xx-principal"))
    login(client, principal)
    client.post("/logout")
    login(client, principal)
    for page in range(3):
        text = visible_text(client.get(f"/admin/audit_events/?page={page}").get_data(as_text=True))
        assert codes_in(text) == [], codes_in(text)[:10]
    kinds = db.session.execute(
        sa.select(sa.func.min(AuditEvent.id))
        .where(AuditEvent.school_id == principal.school_id)
        .group_by(AuditEvent.action, AuditEvent.object_type)
    ).scalars()
    for event_id in kinds:
        page = client.get(f"/admin/audit_events/details/?id={event_id}")
        assert page.status_code == 200
        text = visible_text(page.get_data(as_text=True))
        event = db.session.get(AuditEvent, event_id)
        assert codes_in(text) == [], (event.action, codes_in(text)[:10])
        assert action_label(event.action) in text and str(record_name(event.object_type)) in text


def test_a_change_reads_field_before_and_after(client, school, create_user):
    from tests import factories

    holder = create_user(Role.STAFF, school, display_name="赵桂兰")
    certificate = factories.create_certificate(holder, number="JK-1")
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk)
    form = {
        "holder": str(holder.id),
        "kind": str(certificate.kind_id),
        "number": "JK-2",
        "issuing_authority": "县疾控中心",
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
    }
    assert client.post(f"/admin/certificates/edit/?id={certificate.id}", data=form).status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "certificate.updated"))
    text = visible_text(client.get(f"/admin/audit_events/details/?id={event.id}").get_data(as_text=True))
    assert "证件：已修改" in text
    assert re.search(r"编号\s*：\s*JK-1 → JK-2", text), text


def test_a_refused_admin_form_says_so_in_chinese(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    text = visible_text(client.post("/admin/certificates/new/", data={"number": "1"}).get_data(as_text=True))
    assert "创建记录失败" in text and "Failed to create" not in text


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.DIRECTOR])
def test_no_admin_form_offers_a_raw_blank_choice(client, school, create_user, role):
    """An optional picker's empty choice reads "—", never WTForms' value "__None"."""
    from portal.admin import all_views

    login(client, create_user(role, school))
    opened = 0
    for _view, _model, endpoint, _name in all_views():
        response = client.get(f"/admin/{endpoint}/new/")
        if response.status_code != 200:
            continue
        opened += 1
        assert ">__None<" not in response.get_data(as_text=True), endpoint
    assert opened >= 10
