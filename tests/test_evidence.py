"""Evidence for audits: frozen inspection PDFs, the period bundle, the workbook, and
verification. Real PDFs, checked with poppler's pdffonts and pdftotext."""

import io
import os
import subprocess
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from portal.errors import DomainError
from portal.evidence import bundle, freeze, storage
from portal.evidence.sections import ALL_KEYS
from portal.extensions import db
from portal.models import (
    AuditEvent,
    EvidenceExport,
    ExportStatus,
    InspectionEvidence,
    Role,
)
from portal.services import evidence, inspections, planning, rectification, signing
from tests import factories
from tests.conftest import login
from tests.test_inspection_workflow import at

PERIOD = (date(2026, 9, 14), date(2026, 9, 25))


@pytest.fixture(autouse=True)
def evidence_settings(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EVIDENCE_FOLDER", str(tmp_path / "evidence"))


def photo():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(out, "JPEG")
    out.seek(0)
    return FileStorage(out, filename="冰箱.jpg")


def inspect(people, day, fail=False):
    [assignment] = factories.assignments(people.school, Role.DIRECTOR, day, day)
    inspection = inspections.start_from_assignment(people.director, assignment, today=day)
    factories.answer_all(inspection, fail=(7,) if fail else (), note="冷藏冰箱温度显示十度，高于八度，须立即检修")
    if fail:
        inspections.add_photo(people.director, inspection, photo(), item=inspection.items[7])
    responsible = {key: people.cook for key, _text in inspections.pending_findings(inspection)}
    inspections.submit(people.director, inspection, responsible, now=at(day, 9))
    for task in inspection.tasks:
        rectification.rectify(people.cook, task, "已请维修人员更换温控器，食品已转移", now=at(day, 15))
        rectification.verify(people.principal, task, now=at(day, 16))
    signing.sign_off(people.principal, [inspection.id], factories.PASSWORD, "同意", now=at(day, 18))
    db.session.commit()
    return inspection


@pytest.fixture
def people(school, create_user):
    factories.add_term(school)
    p = SimpleNamespace(
        school=school,
        principal=create_user(Role.PRINCIPAL, school, display_name="刘德明"),
        director=create_user(Role.DIRECTOR, school, display_name="陈志强"),
        cook=create_user(Role.STAFF, school, display_name="赵桂兰"),
        clerk=create_user(Role.SCHOOL_ADMIN, school, display_name="王晓燕"),
    )
    planning.plan(None, school, *PERIOD, PERIOD[0])
    db.session.commit()
    p.failed = inspect(p, date(2026, 9, 15), fail=True)
    p.passed = inspect(p, date(2026, 9, 16))
    factories.create_training(school, attendees=[p.cook], title="留样操作培训", starts_at=at(date(2026, 9, 18), 16))
    factories.create_rule(school, title="食品留样制度")
    factories.create_certificate(p.cook, issued_on=date(2026, 1, 5), expires_on=date(2027, 1, 4), number="JK-2026-001")
    return p


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path):
    lines = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def make_export(people, sections=None, export_format="pdf", first=PERIOD[0], last=PERIOD[1], actor=None):
    from portal.evidence import jobs
    from portal.evidence.sections import ALL_KEYS

    export = evidence.request_export(
        actor or people.principal, people.school, first, last, sections or ALL_KEYS, export_format
    )
    db.session.commit()
    jobs.run(export.id)
    db.session.expire_all()
    return db.session.get(EvidenceExport, export.id)


# --- frozen inspection records ----------------------------------------------------------


def test_a_signed_inspection_is_frozen_once_with_its_hash(people):
    record = freeze.freeze(people.failed)
    db.session.commit()
    path = storage.path_of(record.storage_key)
    assert storage.sha256_of_file(path) == record.sha256 and os.path.getsize(path) == record.size
    modified = os.path.getmtime(path)
    again = freeze.freeze(people.failed)
    assert again.id == record.id and os.path.getmtime(path) == modified  # never rendered again
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.frozen"))
    assert event.after["sha256"] == record.sha256


def test_the_frozen_pdf_is_chinese_embedded_and_complete(people):
    record = freeze.freeze(people.failed)
    db.session.commit()
    path = storage.path_of(record.storage_key)
    fonts = pdf_fonts(path)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    text = pdf_text(path)
    for expected in (
        people.school.name,
        "总务主任每日检查",
        "冷藏冰箱温度显示十度",
        "已请维修人员更换温控器",
        "刘德明",
        "赵桂兰",
        "检查项目",
        "校长",
    ):
        assert expected in text, expected
    reader = PdfReader(path)
    assert people.school.name in reader.metadata.title
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 1  # the photo, as a thumbnail


def test_long_chinese_text_wraps_and_no_line_starts_with_a_comma(people):
    text = pdf_text(storage.path_of(freeze.freeze(people.failed).storage_key))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not any(line.startswith(("，", "。", "、", "；", "：")) for line in lines)


def test_signing_off_in_the_browser_freezes_the_record(client, people):
    inspection = inspections.start_ad_hoc(people.director, "库房", today=date(2026, 9, 17))
    factories.answer_all(inspection)
    inspections.submit(people.director, inspection, {}, now=at(date(2026, 9, 17), 9))
    db.session.commit()
    login(client, people.principal)
    client.post("/sign-off", data={"inspection_id": inspection.id, "password": factories.PASSWORD})
    assert db.session.scalar(sa.select(InspectionEvidence).where(InspectionEvidence.inspection_id == inspection.id))


def test_an_amendment_gets_its_own_frozen_pdf(people):
    original = freeze.freeze(people.passed)
    amendment = signing.amend(people.principal, people.passed, "检查区域填写有误", "检查区域应为库房")
    db.session.commit()
    pending = freeze.unfrozen(inspection_ids=[people.passed.id])
    assert [(i.id, a.id) for i, a in pending] == [(people.passed.id, amendment.id)]
    freeze.freeze_all(pending)
    records = db.session.scalars(
        sa.select(InspectionEvidence).where(InspectionEvidence.inspection_id == people.passed.id)
    ).all()
    assert len(records) == 2 and original.sha256 in {r.sha256 for r in records}
    amended = next(r for r in records if r.amendment_id)
    assert "检查区域应为库房" in pdf_text(storage.path_of(amended.storage_key))


# --- the period bundle -------------------------------------------------------------------


def test_the_bundle_has_everything_and_the_manifest_lists_exactly_that(people, other_school, create_user):
    outsider = create_user(Role.DIRECTOR, other_school, display_name="外校主任")
    factories.create_inspection(outsider)  # another school's record: must never appear
    export = make_export(people)
    assert export.status is ExportStatus.DONE and export.percent == 100
    path = storage.path_of(export.storage_key)
    assert storage.sha256_of_file(path) == export.sha256 and os.path.getsize(path) == export.size

    fonts = pdf_fonts(path)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    text = pdf_text(path)
    for expected in (
        people.school.name,
        "留样操作培训",
        "食品留样制度",
        "JK-2026-001",
        "冷藏冰箱温度显示十度",
        "校长签字",
    ):
        assert expected in text, expected
    assert "外校主任" not in text

    reader = PdfReader(path)
    assert len(reader.pages) == export.pages
    assert "后勤" in reader.metadata.title and people.school.name in reader.metadata.title
    outline = [item.title if not isinstance(item, list) else [child.title for child in item] for item in reader.outline]
    flat = [title for entry in outline for title in (entry if isinstance(entry, list) else [entry])]
    assert any("2026-09-15" in title for title in flat) and any("2026-09-16" in title for title in flat)
    assert "封面" in flat and "目录" in flat

    manifest = bundle.read_manifest(path)
    frozen = db.session.scalars(sa.select(InspectionEvidence).order_by(InspectionEvidence.inspection_id)).all()
    assert manifest["records"]["inspections"] == [
        {"id": r.inspection_id, "amendment_id": None, "sha256": r.sha256} for r in frozen
    ]
    assert manifest["school"]["id"] == people.school.id
    assert (
        manifest["audit_chain_head"]["hash"] in text.replace("\n", "").replace(" ", "")
        or manifest["audit_chain_head"]["seq"]
    )


def test_sections_can_be_left_out(people):
    export = make_export(people, sections=["training"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "留样操作培训" in text and "冷藏冰箱温度显示十度" not in text
    assert bundle.read_manifest(storage.path_of(export.storage_key))["sections"] == ["training"]


def test_the_workbook_has_a_sheet_per_section_with_chinese_headers(people):
    export = make_export(people, export_format="xlsx")
    workbook = openpyxl.load_workbook(storage.path_of(export.storage_key))
    assert "概况" in workbook.sheetnames and "检查记录" in workbook.sheetnames
    sheet = workbook["检查记录"]
    assert [cell.value for cell in sheet[1]][:3] == ["日期", "类别", "检查人"]
    assert sheet.max_row == 1 + 2


def test_the_canteen_ledgers_are_a_section_and_sheets_with_their_gaps(people):
    """16 September is complete; the 17th has a dish without sample and no disinfection;
    the cook was kept off duty on the 17th."""
    from portal.models import DisinfectionMethod, Meal, MorningCheck, TablewareDisinfection
    from portal.services import canteen, morning_checks

    people.cook.canteen_worker = True
    menus = ((date(2026, 9, 16), ["红烧肉", "米饭"], 2), (date(2026, 9, 17), ["清蒸鱼", "青菜"], 1))
    for day, dishes, sampled in menus:
        for n, name in enumerate(dishes):
            dish = factories.create_dish(people.school, name, day=day)
            if n < sampled:
                factories.create_sample(dish, people.cook, grams=130 + n, reviewed_by=people.director)
    record = TablewareDisinfection(
        school_id=people.school.id,
        day=date(2026, 9, 16),
        meal=Meal.LUNCH,
        method=DisinfectionMethod.CHLORINE,
        concentration_mg_l=250,
        duration_seconds=300,
    )
    canteen.save_disinfection(people.cook, record, None, now=factories.school_moment(record.day, 13))
    check = MorningCheck(
        school_id=people.school.id,
        day=date(2026, 9, 17),
        worker=people.cook,
        temperature_c=37.8,
        fit=False,
        on_duty=False,
        action_taken="回家休息",
    )
    morning_checks.save_morning_check(people.director, check, None, now=factories.school_moment(check.day, 7))
    db.session.commit()

    export = make_export(people, sections=["canteen"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "食堂台账" in text and "红烧肉" in text and "清蒸鱼" in text
    assert "2026-09-17" in text and "1 个菜品未留样" in text and "未做餐具消毒" in text
    assert "回家休息" in text and "37.8" in text
    manifest = bundle.read_manifest(storage.path_of(export.storage_key))
    assert len(manifest["records"]["food_samples"]) == 3

    workbook = openpyxl.load_workbook(storage.path_of(make_export(people, ["canteen"], "xlsx").storage_key))
    assert {"开餐日", "留样", "餐具消毒", "晨检"} <= set(workbook.sheetnames)
    samples = workbook["留样"]
    assert samples.max_row == 1 + 3
    assert [cell.value for cell in samples[1]][:4] == ["日期", "餐次", "菜品", "重量（克）"]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2026, 9, 25), date(2026, 9, 14), "结束日期早于开始日期"),
        (date(2024, 1, 1), date(2026, 9, 25), "最多"),
        (date(2025, 3, 1), date(2025, 3, 31), "没有任何记录"),
    ],
)
def test_bad_periods_are_refused_with_a_message(people, first, last, message):
    with pytest.raises(DomainError) as refused:
        evidence.request_export(people.principal, people.school, first, last, ["training"], "pdf")
    assert message in str(refused.value)


def export_form(school_id, sections, first="2026-09-14", last="2026-09-25"):
    """What the evidence page posts for a PDF of a custom period."""
    return {
        "school": school_id,
        "period": "custom",
        "first": first,
        "last": last,
        "sections": sections,
        "format": "pdf",
    }


def test_the_page_refuses_bad_periods_and_keeps_the_form(client, people):
    login(client, people.principal)
    response = client.post(
        "/evidence",
        data=export_form(people.school.id, ["training"], first="2026-09-25", last="2026-09-14"),
    )
    assert response.status_code == 422 and "结束日期早于开始日期" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceExport)) == 0


def test_a_school_user_cannot_export_another_school(client, people, other_school):
    login(client, people.principal)
    response = client.post(
        "/evidence",
        data=export_form(other_school.id, ["training"]),
    )
    assert response.status_code == 422  # not a school on offer: refused, nothing made
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceExport)) == 0


def test_a_county_auditor_exports_any_school(client, people, create_user):
    auditor = create_user(Role.COUNTY_AUDITOR)
    login(client, auditor)
    response = client.post(
        "/evidence",
        data=export_form(people.school.id, ["compliance", "inspections"]),
    )
    assert response.status_code == 302
    export = db.session.scalar(sa.select(EvidenceExport))
    assert export.status is ExportStatus.DONE and export.school_id == people.school.id
    page = client.get(f"/evidence/{export.id}").get_data(as_text=True)
    assert "下载" in page and 'id="export-leave"' not in page  # finished: no "you can leave this page"
    assert client.get(f"/evidence/{export.id}/download").status_code == 200
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("evidence.%"))).all()
    assert {"evidence.requested", "evidence.exported", "evidence.downloaded"} <= set(actions)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.STAFF, Role.COUNTY_ADMIN])
def test_nobody_else_exports(client, people, create_user, role):
    login(client, create_user(role, None if role.is_county else people.school))
    assert client.get("/evidence").status_code == 403
    assert client.get(f"/inspections/{people.failed.id}/evidence").status_code == 403


def test_someone_elses_export_is_not_found(client, people, create_user):
    export = make_export(people, sections=["training"])
    login(client, people.clerk)
    assert client.get(f"/evidence/{export.id}").status_code == 404
    assert client.get(f"/evidence/{export.id}/download").status_code == 404


def test_a_failed_export_offers_nothing(app, people, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EVIDENCE_FONT_DIR", str(tmp_path / "no-fonts"))
    from portal.evidence import render

    monkeypatch.setattr(render, "_registered_from", None)
    export = make_export(people, sections=["training"])
    assert export.status is ExportStatus.FAILED and "make fonts" in export.error
    assert export.storage_key is None
    assert not os.path.exists(os.path.join(app.config["EVIDENCE_FOLDER"], "exports"))


# --- verification ---------------------------------------------------------------------------


def test_verification_accepts_the_file_and_rejects_a_one_byte_change(app, people, tmp_path):
    export = make_export(people)
    path = storage.path_of(export.storage_key)
    runner = CliRunner()
    good = runner.invoke(app.cli, ["evidence", "verify", path])
    assert good.exit_code == 0 and f"MATCHES export #{export.id}" in good.output
    assert good.output.count(": ok") == 2  # both frozen inspections inside match
    changed = tmp_path / "changed.pdf"
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    bad = runner.invoke(app.cli, ["evidence", "verify", str(changed)])
    assert bad.exit_code == 1 and "DOES NOT MATCH" in bad.output


def test_a_tampered_frozen_part_is_reported(app, people):
    export = make_export(people)
    record = db.session.scalar(
        sa.select(InspectionEvidence).where(InspectionEvidence.inspection_id == people.failed.id)
    )
    with open(storage.path_of(record.storage_key), "ab") as frozen_file:
        frozen_file.write(b"%")
    result = CliRunner().invoke(app.cli, ["evidence", "verify", storage.path_of(export.storage_key)])
    assert result.exit_code == 1 and "DOES NOT MATCH" in result.output


def test_the_verification_page(client, people, tmp_path):
    export = make_export(people)
    path = storage.path_of(export.storage_key)
    login(client, people.principal)
    good = client.post(
        "/evidence/verify", data={"file": (open(path, "rb"), "证据.pdf")}, content_type="multipart/form-data"
    )
    assert f"未经改动：平台导出文件 #{export.id}" in good.get_data(as_text=True)
    data = bytearray(open(path, "rb").read())
    data[-200] ^= 0x01
    bad = client.post(
        "/evidence/verify", data={"file": (io.BytesIO(bytes(data)), "证据.pdf")}, content_type="multipart/form-data"
    )
    assert "与平台的任何文件都不匹配" in bad.get_data(as_text=True)
    not_pdf = client.post(
        "/evidence/verify", data={"file": (io.BytesIO(b"hello"), "a.pdf")}, content_type="multipart/form-data"
    )
    assert not_pdf.status_code == 422 and "不是 PDF" in not_pdf.get_data(as_text=True)
    frozen = db.session.scalar(sa.select(InspectionEvidence))
    single = client.post(
        "/evidence/verify",
        data={"file": (open(storage.path_of(frozen.storage_key), "rb"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert "已签字的检查记录" in single.get_data(as_text=True)


def test_a_huge_upload_is_refused_with_a_message(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_VERIFY_LIMIT_MB", 1)
    login(client, people.principal)
    huge = io.BytesIO(b"%PDF-" + b"0" * (2 * 1024 * 1024))
    response = client.post("/evidence/verify", data={"file": (huge, "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413 and "上传的文件过大" in response.get_data(as_text=True)


def test_another_schools_file_is_not_described(client, people, other_school, create_user):
    export = make_export(people)
    login(client, create_user(Role.PRINCIPAL, other_school))
    page = client.post(
        "/evidence/verify",
        data={"file": (open(storage.path_of(export.storage_key), "rb"), "x.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "无权查看的学校" in page and people.school.name not in page.split("验证证据文件")[-1]


# --- the command line -----------------------------------------------------------------------


def test_the_command_line_export_matches_the_page(app, client, people, tmp_path):
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(
        app.cli,
        [
            "evidence",
            "export",
            "--school",
            people.school.name,
            "--from",
            "2026-09-14",
            "--to",
            "2026-09-25",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    login(client, people.principal)
    client.post(
        "/evidence",
        data=export_form(
            people.school.id,
            ALL_KEYS,  # what the command line exports by default
        ),
    )
    web = db.session.scalars(sa.select(EvidenceExport).order_by(EvidenceExport.id.desc())).first()
    cli_manifest, web_manifest = bundle.read_manifest(str(out)), bundle.read_manifest(storage.path_of(web.storage_key))
    assert cli_manifest["records"] == web_manifest["records"] and cli_manifest["sections"] == web_manifest["sections"]
    assert len(PdfReader(str(out)).pages) == web.pages


def test_a_cross_school_inspection_pdf_is_404(client, people, other_school, create_user):
    login(client, create_user(Role.PRINCIPAL, other_school))
    assert client.get(f"/inspections/{people.failed.id}/evidence").status_code == 404


def test_the_frozen_pdf_download_is_recorded(client, people):
    login(client, people.principal)
    response = client.get(f"/inspections/{people.failed.id}/evidence")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "evidence.frozen_downloaded")) == 1


def test_a_background_export_runs_on_the_queue_and_reaches_100(app, client, people, tmp_path):
    """No in-process shortcut: the page puts the export on the queue and a worker makes it;
    the user can leave (the row holds the progress); the result matches the command line's."""
    import time

    from huey.storage import SqliteStorage

    from tests.test_queue import consumer_with

    login(client, people.principal)
    with consumer_with(SqliteStorage("portal", filename=str(tmp_path / "queue.sqlite3"))):
        started = time.monotonic()
        response = client.post(
            "/evidence",
            data=export_form(people.school.id, list(ALL_KEYS)),
        )
        assert response.status_code == 302 and time.monotonic() - started < 5  # nobody waits for it
        export_id = int(response.headers["Location"].rsplit("/", 1)[1])
        seen, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            progress = client.get(f"/evidence/{export_id}/progress").json
            seen.append(progress["percent"])
            if progress["status"] in ("done", "failed"):
                break
            time.sleep(0.3)
    assert progress["status"] == "done", progress
    assert seen[-1] == 100 and seen == sorted(seen)
    assert "导出" in client.get("/evidence").get_data(as_text=True)  # listed under My exports
    download = client.get(progress["download"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(
        app.cli,
        [
            "evidence",
            "export",
            "--school",
            people.school.name,
            "--from",
            "2026-09-14",
            "--to",
            "2026-09-25",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    background = bundle.read_manifest(io.BytesIO(download.data))
    assert background["records"] == bundle.read_manifest(str(out))["records"]


def test_evidence_records_never_change(people):
    from portal.models import FrozenRecordError

    record = freeze.freeze(people.failed)
    export = make_export(people, sections=["training"])
    db.session.commit()
    for change in (
        lambda: setattr(record, "sha256", "0" * 64),
        lambda: setattr(export, "sha256", "0" * 64),
        lambda: db.session.delete(record),
    ):
        change()
        with pytest.raises(FrozenRecordError):
            db.session.flush()
        db.session.rollback()


def test_the_other_canteen_ledgers_are_a_section_with_what_is_flagged_and_missing(people):
    """A poor accompanied meal, a failed four-preventions check and a delivery from a supplier
    whose licence had expired are in the bundle in red; the unsigned weeks are listed."""
    from portal.models import Opinion

    factories.accompany(
        people.school, people.principal, temperature=Opinion.POOR, problems="汤是凉的", responsible=people.cook
    )
    room = factories.create_room(people.school, "主食库")
    factories.check_room(room, people.director, dust_ok=False, problems="货架积灰", responsible=people.cook)
    supplier = factories.create_supplier(people.school, "城关粮油店", expires_on=date(2026, 9, 1))
    factories.accept_delivery(supplier, [people.cook, people.director], bulk=True)
    db.session.commit()

    export = make_export(people, sections=["food_safety"])
    text = pdf_text(storage.path_of(export.storage_key))
    assert "陪餐、场所、进货查验与食品安全调度" in text
    assert "汤是凉的" in text and "货架积灰" in text and "城关粮油店" in text
    assert "许可证已过" in text  # the narrow flag column wraps the last character
    assert "每周排查报告已签：0 /" in text and "2026-09-14" in text
    manifest = bundle.read_manifest(storage.path_of(export.storage_key))
    assert len(manifest["records"]["deliveries"]) == 1 and len(manifest["records"]["prevention_checks"]) == 1

    workbook = openpyxl.load_workbook(storage.path_of(make_export(people, ["food_safety"], "xlsx").storage_key))
    assert {"陪餐记录", "四防检查", "进货查验", "每周排查报告", "月调度会议"} <= set(workbook.sheetnames)
    deliveries = workbook["进货查验"]
    assert deliveries.max_row == 1 + 1 and "许可证已过期" in deliveries.cell(2, 9).value


def test_a_long_list_of_missing_days_wraps_and_keeps_every_date(people, tmp_path):
    """概况 lists what is missing on one line of dates without spaces: it wraps, and the last
    date is still in the text of the PDF."""
    from datetime import timedelta

    from portal.evidence import render
    from portal.evidence.parts import Part, Scope

    days = [date(2026, 9, 7) + timedelta(days=n) for n in range(60)]
    part = Part("food_safety", "陪餐、场所、进货查验与食品安全调度", "evidence/section_ledgers.html")
    part.context = {"summary": [("每周排查报告已签：0 / 60", "、".join(day.isoformat() for day in days))], "tables": []}
    scope = Scope(people.school, days[0], days[-1])
    with render.evidence_language():
        pdf = render.template_to_pdf(part.template, scope=scope, part=part)
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    text = pdf_text(str(path)).replace("\n", "").replace(" ", "")
    assert days[-1].isoformat() in text
    assert all(day.isoformat() in text for day in days)
