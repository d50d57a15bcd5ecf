"""Security against a logged-in insider: segregation of duties, password checks throttled
everywhere, bounded inputs, headers, idle sessions, an audit chain that needs a key and
keeps its anchors, append-only tables, and one permission table."""

import ast
import io
import json
import subprocess
import sys
import time
import zlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from PIL import Image
from werkzeug.datastructures import MultiDict

from portal.errors import DomainError
from portal.extensions import db
from portal.models import AuditChainHead, AuditEvent, Role, User
from portal.permissions import Access, requirement_for
from portal.security import LOGGED_IN_AT, SEEN_AT
from portal.services import audit, users
from tests import factories
from tests.conftest import login
from tests.tamper import past_the_triggers, refused_by_the_database


@pytest.fixture
def school_people(school, create_user):
    return SimpleNamespace(
        school=school,
        clerk=create_user(Role.SCHOOL_ADMIN, school, username="clerk", display_name="王晓燕"),
        principal=create_user(Role.PRINCIPAL, school, username="principal", display_name="刘德明"),
        director=create_user(Role.DIRECTOR, school, username="director", display_name="陈志强"),
        cook=create_user(Role.STAFF, school, username="cook", display_name="赵桂兰"),
        county=create_user(Role.COUNTY_ADMIN, username="county", display_name="张建国"),
    )


def user_form(user, **overrides):
    data = MultiDict(
        {
            "username": user.username,
            "display_name": user.display_name,
            "active": "y",
            "password": "",
        }
    )
    for role in overrides.pop("roles", sorted(role.value for role in user.roles)):
        data.add("roles", role)
    for key, value in overrides.items():
        data[key] = value
    return data


# --- who may grant what -------------------------------------------------------------------


def test_the_clerk_cannot_make_themselves_principal(client, school_people):
    clerk = school_people.clerk
    login(client, clerk)
    response = client.post(
        f"/admin/users/edit/?id={clerk.id}", data=user_form(clerk, roles=["school_admin", "principal"])
    )
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(User, clerk.id).roles == {Role.SCHOOL_ADMIN}
    with pytest.raises(DomainError):
        users.update_user(clerk, clerk, display_name="x", roles=[Role.SCHOOL_ADMIN, Role.PRINCIPAL])


def test_the_clerk_cannot_take_over_the_principals_account(client, school_people):
    clerk, principal = school_people.clerk, school_people.principal
    login(client, clerk)
    client.post(f"/admin/users/edit/?id={principal.id}", data=user_form(principal, password="clerk-knows-it"))
    db.session.expire_all()
    assert users.authenticate("principal", "clerk-knows-it") is None
    for change in (
        lambda: users.set_password(clerk, principal, "clerk-knows-it"),
        lambda: users.update_user(clerk, principal, display_name="x", roles=[Role.PRINCIPAL], password="abcdefgh1"),
        lambda: users.update_user(clerk, principal, display_name="x", roles=[Role.PRINCIPAL], active=False),
        lambda: users.update_user(clerk, school_people.director, display_name="x", roles=[Role.DIRECTOR]),
    ):
        with pytest.raises(DomainError):
            change()
        db.session.rollback()


def test_the_clerk_cannot_name_a_food_safety_manager(school_people):
    """The weekly risk report is signed by the food-safety manager: a signing power."""
    clerk, cook = school_people.clerk, school_people.cook
    with pytest.raises(DomainError):
        users.update_user(clerk, cook, display_name=cook.display_name, roles=[Role.STAFF], food_safety_manager=True)
    db.session.rollback()
    users.update_user(
        school_people.county, cook, display_name=cook.display_name, roles=[Role.STAFF], food_safety_manager=True
    )
    db.session.commit()
    assert cook.can("report.sign")


def test_the_clerk_manages_staff(school_people):
    clerk, cook = school_people.clerk, school_people.cook
    users.update_user(clerk, cook, display_name="赵桂兰（厨师）", roles=[Role.STAFF], canteen_worker=True)
    users.set_password(clerk, cook, "a-new-password")
    db.session.commit()
    assert cook.display_name == "赵桂兰（厨师）" and cook.canteen_worker and cook.password_reset_required


def test_a_reset_password_ends_sessions_and_must_be_replaced_at_the_next_login(app, school_people):
    cook = school_people.cook
    old_session = app.test_client()
    login(old_session, cook)
    assert old_session.get("/").status_code == 200
    users.set_password(school_people.clerk, cook, "temporary-1")
    db.session.commit()
    assert old_session.get("/").status_code == 302  # the session that was open has ended

    browser = app.test_client()
    landed = browser.post("/login", data={"username": "cook", "password": "temporary-1"})
    assert landed.headers["Location"].endswith("/password")
    assert browser.get("/tasks").headers["Location"].endswith("/password")  # nothing else opens
    changed = browser.post(
        "/password", data={"current_password": "temporary-1", "password": "my-own-pass", "confirm": "my-own-pass"}
    )
    assert changed.status_code == 302
    assert browser.get("/tasks").status_code == 200


def test_the_owner_is_told_at_the_next_login_what_someone_else_changed(app, school_people):
    cook = school_people.cook
    browser = app.test_client()
    browser.post("/login", data={"username": "cook", "password": factories.PASSWORD})
    browser.post("/logout")
    users.update_user(school_people.clerk, cook, display_name="赵桂兰", roles=[Role.STAFF], canteen_worker=True)
    db.session.commit()
    browser.post("/login", data={"username": "cook", "password": factories.PASSWORD})
    home = browser.get("/").get_data(as_text=True)
    assert "王晓燕" in home and "用户：已修改" in home and "食堂从业人员" in home
    browser.post("/logout")
    browser.post("/login", data={"username": "cook", "password": factories.PASSWORD})
    assert "用户：已修改" not in browser.get("/").get_data(as_text=True)  # told once


# --- every password check is throttled -----------------------------------------------------


@pytest.fixture
def two_tries(app, monkeypatch):
    for name in (
        "PASSWORD_LIMIT_DEVICE",
        "PASSWORD_LIMIT_ACCOUNT",
        "PASSWORD_LIMIT_ADDRESS",
        "PASSWORD_LIMIT_ACCOUNT_AND_ADDRESS",
    ):
        monkeypatch.setitem(app.config, name, (2, 60))


def _signing_attempts(school_people):
    """Every place other than the login form where a password is entered: (user, call)."""
    from portal.models import DispatchMeeting
    from portal.services import food_safety, signing

    factories.add_term(school_people.school)
    meeting = factories.record_meeting(school_people.school, school_people.principal)
    return [
        (school_people.principal, lambda p: signing.sign_off(school_people.principal, [1], p)),
        (
            school_people.principal,
            lambda p: food_safety.sign_meeting(school_people.principal, db.session.get(DispatchMeeting, meeting.id), p),
        ),
        (school_people.cook, lambda p: users.change_own_password(school_people.cook, p, "another-password")),
    ]


def test_signing_and_changing_a_password_are_throttled_too(school_people, two_tries):
    from portal.models import PasswordFailure

    for person, attempt in _signing_attempts(school_people):
        db.session.execute(sa.delete(PasswordFailure))  # each place on its own
        db.session.commit()
        for _ in range(2):
            with pytest.raises(DomainError) as wrong:
                attempt("wrong guess")
            assert "不正确" in str(wrong.value.message)
            db.session.rollback()
        with pytest.raises(DomainError) as throttled:
            attempt(factories.PASSWORD)  # the right password waits too
        assert "之后再试" in str(throttled.value.message), person.username
        db.session.rollback()


def test_the_confirm_password_page_is_throttled(client, school_people, two_tries):
    login(client, school_people.clerk, fresh=False)
    for _ in range(2):
        assert client.post("/reauthenticate", data={"password": "wrong"}).status_code == 200
    assert client.post("/reauthenticate", data={"password": factories.PASSWORD}).status_code == 429


# --- bounded inputs ------------------------------------------------------------------------


def _peak_megabytes(script):
    """Runs ``script`` in a fresh Python with the app and returns its peak RSS in MB."""
    code = (
        "import resource, sys\n"
        "from tests.conftest import KEYS\n"
        "from portal import create_app\n"
        f"{script}\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    return int(done.stdout.strip().splitlines()[-1]), done.stdout


@pytest.mark.processes
@pytest.mark.one_database  # a fresh Python on an in-memory SQLite, whatever the suite's database
def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded():
    """A 13000 × 13000 PNG of a few hundred KB decodes to 500 MB; it is refused from its
    header. The check runs in a process of its own to measure its memory."""
    image = io.BytesIO()
    Image.new("1", (13000, 13000)).save(image, "PNG")
    assert len(image.getvalue()) < 1_000_000
    script = f"""
import io
from flask import Flask
from portal.services import files
from portal.errors import DomainError
app = create_app(KEYS | {{"DATABASE_URL": "sqlite://", "TESTING": True}})
with app.app_context():
    try:
        files._clean_image({image.getvalue()!r}, "png")
    except DomainError as exc:
        print("REFUSED", exc.message)
"""
    baseline, _ = _peak_megabytes("app = create_app(KEYS | {'DATABASE_URL': 'sqlite://'})")
    peak, output = _peak_megabytes(script)
    assert "REFUSED" in output and "13000 × 13000" in output
    assert peak - baseline < 80, (baseline, peak)


def _bomb_pdf(path, inflated_megabytes):
    """A small PDF whose attached manifest inflates to a lot of zeros."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    raw = zlib.compress(b" " * (inflated_megabytes * 1024 * 1024), 9)
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Name.FlateDecode
    spec = pikepdf.AttachedFileSpec(pdf, b"")
    spec.obj.EF.F = stream
    pdf.attachments["manifest.json"] = spec
    pdf.save(path)


@pytest.mark.processes
@pytest.mark.one_database
def test_a_manifest_that_inflates_to_gigabytes_is_read_with_a_cap(tmp_path):
    path = tmp_path / "bomb.pdf"
    _bomb_pdf(path, 400)
    assert path.stat().st_size < 2_000_000
    script = f"""
from portal.evidence import bundle
app = create_app(KEYS | {{"DATABASE_URL": "sqlite://"}})
with app.app_context():
    print("MANIFEST", bundle.read_manifest({str(path)!r}))
"""
    baseline, _ = _peak_megabytes("app = create_app(KEYS | {'DATABASE_URL': 'sqlite://'})")
    peak, output = _peak_megabytes(script)
    assert "MANIFEST None" in output
    assert peak - baseline < 120, (baseline, peak)


def test_the_verify_page_answers_a_bomb_in_chinese(client, school_people, tmp_path):
    path = tmp_path / "bomb.pdf"
    _bomb_pdf(path, 60)
    login(client, school_people.principal)
    response = client.post(
        "/evidence/verify",
        data={"file": (io.BytesIO(path.read_bytes()), "bomb.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "不匹配" in response.get_data(as_text=True)


# --- headers on every route ----------------------------------------------------------------


def _get_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments - {"export_type", "filename"}
    ]


def test_every_page_carries_the_security_headers(app, client, school_people):
    login(client, school_people.principal)
    checked = 0
    for rule in _get_rules(app):
        url = rule.rule.replace("<export_type>", "csv").replace("<path:filename>", "css/portal.css")
        response = client.get(url)
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", url
        assert headers.get("X-Frame-Options") == "DENY", url
        assert headers.get("Referrer-Policy") == "same-origin", url
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "Werkzeug" not in headers.get("Server", ""), url
        checked += 1
    assert checked > 100


# --- sessions that end -----------------------------------------------------------------------


def test_an_idle_session_ends_and_an_old_one_too(app, client, school_people):
    login(client, school_people.cook)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    gone = client.get("/tasks")
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    assert client.get("/").status_code == 302  # the session is over, not only this request

    login(client, school_people.cook)
    with client.session_transaction() as session:
        session[LOGGED_IN_AT] = time.time() - timedelta(days=app.config["SESSION_MAX_DAYS"], seconds=5).total_seconds()
    assert client.get("/").status_code == 302


def test_a_session_in_use_lives_on(app, client, school_people):
    login(client, school_people.cook)
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 + 120
    assert client.get("/").status_code == 200


# --- an audit chain that needs a key and an anchor -----------------------------------------------


@pytest.fixture
def trail(school_people):
    for title in ("食品安全管理制度", "留样制度", "晨检制度"):
        factories.create_rule(school_people.school, title=title)
    chain = f"school:{school_people.school.id}"
    assert audit.verify_chain(chain) is None
    return SimpleNamespace(chain=chain, anchor=audit.anchor_of(school_people.school.id))


def _events(chain):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq)).all()


def test_a_chain_recomputed_without_the_key_is_detected(app, trail):
    """Someone who can write the database changes an event and recomputes every later
    hash as SHA-256, as the trail used to be: without the key the hashes do not match."""
    import hashlib

    events = _events(trail.chain)
    rows, prev = [], events[0].prev_hash
    for event in events:
        content = event.content() | {"prev_hash": prev}
        if event.seq == 3:
            content["actor_name"] = "someone-else"
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        prev = hashlib.sha256(canonical.encode()).hexdigest()
        rows.append((event.id, content["actor_name"], content["prev_hash"], prev))
    with past_the_triggers() as connection:
        for event_id, actor_name, prev_hash, digest in rows:
            connection.execute(
                sa.update(AuditEvent)
                .where(AuditEvent.id == event_id)
                .values(actor_name=actor_name, prev_hash=prev_hash, hash=digest)
            )
        connection.execute(sa.update(AuditChainHead).where(AuditChainHead.chain == trail.chain).values(hash=prev))
    db.session.expire_all()
    event, reason = audit.verify_chain(trail.chain)
    assert event.seq == 1 and "key" in reason


def test_a_chain_cut_back_with_its_head_moved_is_caught_by_its_anchor(app, trail, tmp_path):
    events = _events(trail.chain)
    removed, (last_seq, last_hash) = [e.id for e in events[-2:]], (events[-3].seq, events[-3].hash)
    with past_the_triggers() as connection:
        connection.execute(sa.delete(AuditEvent).where(AuditEvent.id.in_(removed)))
        connection.execute(
            sa.update(AuditChainHead).where(AuditChainHead.chain == trail.chain).values(seq=last_seq, hash=last_hash)
        )
    db.session.expire_all()
    assert audit.verify_chain(trail.chain) is None  # consistent in itself...
    _event, reason = audit.verify_chain(trail.chain, [trail.anchor])
    assert "anchored event" in reason and "gone" in reason  # ...but the county's anchor is gone
    result = CliRunner().invoke(app.cli, ["audit", "verify", "--head", str(trail.anchor)])
    assert result.exit_code == 1 and f"anchored event {trail.anchor.seq}" in result.output


def test_a_deleted_head_row_does_not_hide_its_chain(app, trail):
    with past_the_triggers() as connection:
        connection.execute(sa.delete(AuditChainHead).where(AuditChainHead.chain == trail.chain))
    db.session.expire_all()
    assert trail.chain in audit.chains()
    _event, reason = audit.verify_chain(trail.chain)
    assert "head is missing" in reason
    assert CliRunner().invoke(app.cli, ["audit", "verify"]).exit_code == 1


def test_the_cli_checks_a_bundles_anchors(app, trail, tmp_path):
    from portal.evidence import bundle

    head = trail.anchor
    assert bundle.anchors_in({"audit_chain_head": {"chain": head.chain, "seq": head.seq, "hash": head.hash}}) == [head]
    good = CliRunner().invoke(app.cli, ["audit", "verify", "--head", str(trail.anchor)])
    assert good.exit_code == 0 and "intact" in good.output


@pytest.mark.parametrize(
    "statement, refusal",
    [
        ("UPDATE audit_event SET actor_name = 'x'", "append-only"),
        ("DELETE FROM audit_event", "append-only"),
        ("DELETE FROM audit_chain_head", "chain head"),
        ("UPDATE audit_chain_head SET seq = 0", "only moves forward"),
    ],
)
def test_the_audit_trail_is_append_only_in_the_database(trail, statement, refusal):
    assert refusal in refused_by_the_database(statement)


def test_insert_or_replace_and_truncate_cannot_rewrite_records(trail, school_people):
    """SQLite's INSERT OR REPLACE deletes the old row without its DELETE triggers;
    PostgreSQL's TRUNCATE fires no row trigger. Both are refused."""
    from portal.services import inspections, signing

    factories.add_term(school_people.school)
    inspection = factories.create_inspection(school_people.director, finding=False)
    factories.answer_all(inspection)
    inspections.submit(school_people.director, inspection, {})
    signing.sign_off(school_people.principal, [inspection.id], factories.PASSWORD)
    amendment = signing.amend(school_people.principal, inspection, "笔误", "第三项应为合格")
    db.session.commit()
    first_event = _events(trail.chain)[0]
    if db.engine.dialect.name == "sqlite":
        statements = [
            f"INSERT OR REPLACE INTO inspection (id, school_id, inspector_id, kind, inspected_on, area, status, "
            f"created_at, updated_at, version) VALUES ({inspection.id}, {inspection.school_id}, "
            f"{inspection.inspector_id}, 'ad_hoc', '2026-01-01', '', 'draft', '2026-01-01', '2026-01-01', 1)",
            f"INSERT OR REPLACE INTO inspection_item (id, inspection_id, school_id, position, section, text, note, "
            f"version) VALUES ({inspection.items[0].id}, {inspection.id}, {inspection.school_id}, 0, 'x', 'x', '', 1)",
            f"INSERT OR REPLACE INTO audit_event (id, chain, seq, school_id, actor_name, occurred_at, action, "
            f"object_type, object_id, prev_hash, hash) VALUES ({first_event.id}, '{trail.chain}', 1, "
            f"{school_people.school.id}, 'x', '2026-01-01', 'x', 'x', 'x', 'x', 'x')",
            f"INSERT OR REPLACE INTO inspection_amendment (id, school_id, inspection_id, author_id, reason, body, "
            f"created_at) VALUES ({amendment.id}, {amendment.school_id}, {inspection.id}, "
            f"{school_people.principal.id}, 'x', 'x', '2026-01-01')",
            f"UPDATE inspection_amendment SET body = 'x' WHERE id = {amendment.id}",
        ]
    else:
        statements = [
            f"TRUNCATE {table} CASCADE"
            for table in (
                "audit_event",
                "audit_chain_head",
                "inspection",
                "inspection_amendment",
                "inspection_evidence",
            )
        ] + [f"UPDATE inspection_amendment SET body = 'x' WHERE id = {amendment.id}"]
    db.session.rollback()  # TRUNCATE waits for every other transaction's lock on the table
    for statement in statements:
        refused_by_the_database(statement)
    db.session.expire_all()
    assert audit.verify_chain(trail.chain) is None


def test_the_portals_own_postgresql_role_cannot_switch_the_triggers_off(app, trail):
    """The production recipe runs the app as a role that does not own the tables (README):
    it cannot disable triggers, enter replica mode, or truncate. SQLite has no roles: there
    the protection is the file's owner on the school PC (README)."""
    if db.engine.dialect.name != "postgresql":
        assert "postgresql" not in app.config["SQLALCHEMY_DATABASE_URI"]
        return
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP ROLE IF EXISTS portal_app_probe")
        connection.exec_driver_sql("CREATE ROLE portal_app_probe LOGIN")
        # The test database's schema was recreated by the superuser (conftest); a database
        # created as the README says keeps the usage every role has.
        connection.exec_driver_sql("GRANT USAGE ON SCHEMA public TO portal_app_probe")
        connection.exec_driver_sql(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_app_probe"
        )
        connection.exec_driver_sql("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO portal_app_probe")
    url = db.engine.url.set(username="portal_app_probe")
    engine = sa.create_engine(url)
    try:
        for statement in (
            "ALTER TABLE audit_event DISABLE TRIGGER ALL",
            "SET session_replication_role = replica",
            "TRUNCATE audit_event",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(sa.exc.DBAPIError):
                with engine.begin() as connection:
                    connection.exec_driver_sql(statement)
        with engine.begin() as connection:  # and it can still do its work
            assert connection.exec_driver_sql("SELECT count(*) FROM audit_event").scalar() > 0
    finally:
        engine.dispose()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP OWNED BY portal_app_probe")
            connection.exec_driver_sql("DROP ROLE portal_app_probe")


def test_the_app_refuses_to_start_without_an_audit_key(monkeypatch):
    from portal import create_app
    from tests.conftest import KEYS

    monkeypatch.delenv("PORTAL_AUDIT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(KEYS | {"AUDIT_KEY": None, "DATABASE_URL": "sqlite://"})
    with pytest.raises(RuntimeError, match="differ"):
        create_app(KEYS | {"AUDIT_KEY": KEYS["SECRET_KEY"], "DATABASE_URL": "sqlite://"})


# --- one permission table ------------------------------------------------------------------


def test_no_model_service_or_view_compares_role_names():
    """Predicates ask the permission table (user.can(...)); role names appear only where
    roles themselves are managed: the table, the user model and its service, the demo."""
    allowed = {"portal/models/access.py", "portal/models/user.py", "portal/services/users.py"}
    offenders = []
    for path in Path("portal").rglob("*.py"):
        if str(path) in allowed or path.parent == Path("portal/demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "has_role":
                offenders.append(f"{path}:{node.lineno} has_role")
            if isinstance(node, ast.Name) and node.id.endswith("_ROLES") and node.id != "COUNTY_ROLES":
                offenders.append(f"{path}:{node.lineno} {node.id}")
    assert offenders == []


def test_no_write_is_declared_with_a_read_permission(app):
    """A POST endpoint never needs only a permission that reads."""
    reads = {
        "user.read",
        "rule.read",
        "training.read",
        "certificate.read",
        "inspection.read",
        "audit.read",
        "ledger.read",
    }
    offenders = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("admin."):
            continue
        requirement = requirement_for(app, rule.endpoint)
        if requirement not in (Access.PUBLIC, Access.AUTHENTICATED, Access.NOBODY) and requirement.value in reads:
            offenders.append(f"{rule.endpoint} needs {requirement.value}")
    assert offenders == []
