"""Training sessions (hours computed, not typed), certificates (status in school time),
uploads (size and type checked, images cleaned)."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.errors import DomainError
from portal.extensions import db
from portal.models import Certificate, CertificateStatus, CrossSchoolReference, Role, StoredFile, TrainingSession
from portal.services import certificates, training
from portal.timeutil import school_today
from tests import factories
from tests.conftest import login


def training_form(**overrides):
    data = {"title": "食品安全培训", "kind": "school_training", "starts_at": "2026-10-10T14:30", "hours": "2"}
    return data | overrides


def test_hours_per_person_are_computed_from_attendance(school, create_user):
    cook, keeper = create_user(Role.STAFF, school), create_user(Role.STAFF, school)
    factories.create_training(school, attendees=[cook, keeper], hours="2")
    factories.create_training(school, attendees=[cook], absent=[keeper], hours="1.5")
    factories.create_training(
        school, attendees=[cook], hours="3", starts_at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    )  # 2026-01-01 01:00 in Shanghai: counts for 2026
    hours = {row.user.id: (row.hours, row.sessions) for row in training.hours_per_person(school, 2026)}
    assert hours == {cook.id: (Decimal("6.5"), 3), keeper.id: (Decimal("2"), 1)}
    assert training.hours_by_year(cook) == [(2026, Decimal("6.5"))]


def test_hours_report_page(client, school, create_user):
    cook = create_user(Role.STAFF, school, display_name="赵桂兰")
    factories.create_training(school, attendees=[cook], hours="2")
    login(client, create_user(Role.DIRECTOR, school))
    page = client.get("/reports/training-hours?year=2026").get_data(as_text=True)
    assert "赵桂兰" in page and "2.0" in page


def test_starts_at_is_typed_in_school_time_and_stored_in_utc(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    assert client.post("/admin/training_sessions/new/", data=training_form()).status_code == 302
    session = db.session.scalar(sa.select(TrainingSession))
    assert session.starts_at == datetime(2026, 10, 10, 6, 30, tzinfo=UTC)
    form = client.get(f"/admin/training_sessions/edit/?id={session.id}").get_data(as_text=True)
    assert 'value="2026-10-10T14:30"' in form


@pytest.mark.parametrize("hours", ["-1", "0", "25"])
def test_impossible_hours_are_refused_and_the_form_kept(client, school, create_user, hours):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/training_sessions/new/", data=training_form(title="负学时的培训", hours=hours))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "学时须大于 0 且不超过 24" in page
    assert "负学时的培训" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0


def test_the_database_refuses_negative_hours_too(school):
    db.session.add(
        TrainingSession(
            school_id=school.id, title="x", kind="school_training", starts_at=datetime.now(UTC), hours=Decimal("-1")
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_attendee_of_another_school_is_refused_by_the_service(school, other_school, create_user):
    outsider = create_user(Role.STAFF, other_school, display_name="外校工友")
    with pytest.raises(DomainError) as refused:
        factories.create_training(school, attendees=[outsider])
    assert "外校工友 不是本校人员" in str(refused.value)
    db.session.rollback()


def test_the_tenancy_guard_refuses_a_direct_write(school, other_school, create_user):
    """Even code that skips the services cannot tie rows of two schools together."""
    outsider = create_user(Role.STAFF, other_school)
    kind = factories.certificate_kind(school)
    db.session.add(
        Certificate(school_id=school.id, holder_id=outsider.id, kind=kind, number="X", issued_on=date(2026, 1, 1))
    )
    with pytest.raises(CrossSchoolReference):
        db.session.flush()
    db.session.rollback()


def _png(size=(40, 30)):
    out = io.BytesIO()
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def test_materials_are_uploaded_checked_and_downloadable(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(
        "/admin/training_sessions/new/",
        data=training_form(new_materials=[(io.BytesIO(pdf), "培训讲义.pdf"), (io.BytesIO(_png()), "现场.png")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session = db.session.scalar(sa.select(TrainingSession))
    names = [m.original_name for m in session.materials]
    assert names == ["培训讲义.pdf", "现场.png"]
    download = client.get(f"/files/{session.materials[0].id}")
    assert download.data == pdf
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    picture = client.get(f"/files/{session.materials[1].id}").data
    assert b"SecretCam" not in picture  # metadata stripped on the server


def test_a_file_of_the_wrong_type_is_refused_and_the_form_kept(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post(
        "/admin/training_sessions/new/",
        data=training_form(title="带病毒的培训", new_materials=[(io.BytesIO(b"MZ\x90\x00 not a pdf"), "讲义.pdf")]),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "不接受此类文件" in page and "带病毒的培训" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_a_file_over_the_limit_is_refused(client, app, school, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_MATERIAL_MB", 1)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = client.post(
        "/admin/training_sessions/new/",
        data=training_form(new_materials=[(io.BytesIO(big), "大文件.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "文件超过 1 MB" in response.get_data(as_text=True)


def test_a_request_over_the_hard_cap_gets_a_clear_page(client, app, school, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post(
        "/admin/training_sessions/new/",
        data=training_form(new_materials=[(io.BytesIO(b"%PDF" + b"0" * 4096), "a.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "上传的文件过大" in response.get_data(as_text=True)


def test_staff_cannot_download_someone_elses_certificate_scan(client, school, create_user):
    holder, other = create_user(Role.STAFF, school), create_user(Role.STAFF, school)
    certificate = factories.create_certificate(holder)
    scan = io.BytesIO(_png())
    scan.filename = "scan.png"
    from werkzeug.datastructures import FileStorage

    certificates.save_certificate(None, certificate, {}, scan_upload=FileStorage(scan, filename="健康证.png"))
    db.session.commit()
    login(client, other)
    assert client.get(f"/files/{certificate.scan_id}").status_code == 404
    login(client, holder)
    assert client.get(f"/files/{certificate.scan_id}").status_code == 200


# --- certificates ----------------------------------------------------------------------


def certificate_form(holder, kind, **overrides):
    data = {
        "holder": holder.id,
        "kind": kind.id,
        "number": "JK-2026-001",
        "issuing_authority": "县疾控中心",
        "issued_on": "2026-03-01",
        "expires_on": "2027-02-28",
    }
    return data | overrides


def test_expiry_before_issue_is_refused_with_a_clear_message(client, school, create_user):
    holder = create_user(Role.STAFF, school)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post(
        "/admin/certificates/new/",
        data=certificate_form(holder, factories.certificate_kind(school), expires_on="2026-01-01"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "有效期截止日期必须晚于发证日期" in page
    assert "JK-2026-001" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_the_database_refuses_expiry_before_issue_too(school, create_user):
    holder = create_user(Role.STAFF, school)
    db.session.add(
        Certificate(
            school_id=school.id,
            holder_id=holder.id,
            kind=factories.certificate_kind(school),
            number="X",
            issued_on=date(2026, 5, 1),
            expires_on=date(2026, 4, 1),
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (-1, CertificateStatus.EXPIRED),
        (0, CertificateStatus.EXPIRING),
        (30, CertificateStatus.EXPIRING),
        (31, CertificateStatus.VALID),
    ],
)
def test_status_against_today_in_school_time(school, create_user, days_left, status):
    holder = create_user(Role.STAFF, school)
    today = school_today(school)
    certificate = factories.create_certificate(holder, expires_on=today + timedelta(days=days_left))
    assert certificate.status_on(today, school.settings.certificate_warning_days) is status


def settings_form(**overrides):
    """Every field of the settings form with its default; the checkboxes left out are off."""
    return {
        "certificate_warning_days": "30",
        "rectification_cutoff": "22:00",
        "ledger_lock_days": "1",
        "ledger_keep_years": "2",
        "serves_lunch": "y",
        "breakfast_ends": "08:30",
        "lunch_ends": "13:00",
        "dinner_ends": "19:00",
        "sample_min_grams": "125",
        "sample_keep_hours": "48",
        "steam_min_celsius": "100",
        "steam_min_seconds": "600",
        "infrared_min_celsius": "120",
        "infrared_min_seconds": "600",
        "dishwasher_min_celsius": "85",
        "dishwasher_min_seconds": "40",
        "chlorine_min_mg_l": "250",
        "chlorine_min_seconds": "300",
        "fever_from_celsius": "37.3",
        "parent_meals_per_term": "2",
        "bulk_acceptors": "2",
        "delivery_keep_months": "6",
        "delivery_keep_years": "2",
        "expiry_warning_days": "3",
        "temperature_readings_per_day": "2",
        "nutrition_report_cutoff": "16:00",
        "dorm_coaching_below": "80",
        "leftover_target_kg_per_100": "3.00",
        "surveys_per_semester": "2",
    } | overrides


def test_the_warning_period_is_a_school_setting(client, school, create_user):
    holder = create_user(Role.STAFF, school)
    factories.create_certificate(holder, expires_on=school_today(school) + timedelta(days=45))
    assert certificates.needing_attention(school) == []
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk)
    assert (
        client.post(
            f"/admin/school_settings/edit/?id={school.id}", data=settings_form(certificate_warning_days="60")
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert [s.status for s in certificates.needing_attention(school)] == [CertificateStatus.EXPIRING]
    refused = client.post(
        f"/admin/school_settings/edit/?id={school.id}", data=settings_form(certificate_warning_days="-5")
    )
    assert refused.status_code == 200


def test_home_pages_show_certificates_needing_attention(client, school, create_user):
    holder = create_user(Role.STAFF, school, display_name="吴玉梅")
    factories.create_certificate(holder, expires_on=school_today(school) - timedelta(days=3))
    login(client, create_user(Role.PRINCIPAL, school))
    page = client.get("/").get_data(as_text=True)
    assert "吴玉梅" in page and "已过期" in page
    login(client, holder)
    mine = client.get("/my/certificates").get_data(as_text=True)
    assert "已过期" in mine


def test_a_certificate_of_no_expiry_is_valid(school, create_user):
    certificate = factories.create_certificate(
        create_user(Role.STAFF, school), kind_name="厨师证", expires_in_days=None
    )
    assert certificate.status_on(date(2040, 1, 1), 30) is CertificateStatus.VALID


def test_a_kind_in_use_cannot_be_deleted(client, school, create_user):
    factories.create_certificate(create_user(Role.STAFF, school))
    kind = factories.certificate_kind(school)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/certificate_kinds/delete/", data={"id": kind.id}, follow_redirects=True)
    assert "已有该种类的证件" in response.get_data(as_text=True)
    assert db.session.get(type(kind), kind.id) is not None


def test_the_tenancy_guard_checks_a_bare_foreign_key_and_only_that(school, other_school, create_user):
    """A foreign key set without its relationship is checked; a record whose id happens to
    equal a row of another table in another school is not mistaken for a reference."""
    from portal.models import Certificate, Inspection, InspectionKind

    outsider = create_user(Role.STAFF, other_school)
    db.session.add(
        Certificate(
            school_id=school.id,
            holder_id=outsider.id,
            kind_id=factories.certificate_kind(school).id,
            number="X",
            issued_on=date(2026, 1, 1),
        )
    )
    with pytest.raises(CrossSchoolReference):
        db.session.flush()
    db.session.rollback()
    director = create_user(Role.DIRECTOR, school)
    # Another school's assignment with the same id as the inspection below: the one-to-one
    # Inspection.assignment (foreign key on the assignment) must not be looked up by that id.
    from portal.services import planning

    factories.add_term(other_school)
    planning.plan(None, other_school, date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 2))
    db.session.commit()
    inspection = Inspection(
        school_id=school.id, inspector=director, kind=InspectionKind.AD_HOC, inspected_on=date(2026, 11, 2)
    )
    db.session.add(inspection)
    db.session.flush()
    assert (
        inspection.id == 1
        and db.session.get(type(inspection).assignment.property.mapper.class_, 1).school_id == other_school.id
    )
    inspection.area = "库房"
    db.session.flush()  # no CrossSchoolReference
    db.session.rollback()


def test_a_county_user_is_not_another_school_but_a_school_user_is(school, other_school, create_user):
    """A county auditor may be recorded on a school's row (an export they asked for); a user
    of another school may not."""
    from portal.models import EvidenceExport, ExportFormat

    auditor, outsider = create_user(Role.COUNTY_AUDITOR), create_user(Role.STAFF, other_school)
    db.session.add(
        EvidenceExport(
            school_id=school.id,
            requested_by=auditor,
            format=ExportFormat.PDF,
            period_first=date(2026, 9, 1),
            period_last=date(2026, 9, 30),
        )
    )
    db.session.flush()
    db.session.add(
        EvidenceExport(
            school_id=school.id,
            requested_by=outsider,
            format=ExportFormat.PDF,
            period_first=date(2026, 9, 1),
            period_last=date(2026, 9, 30),
        )
    )
    with pytest.raises(CrossSchoolReference):
        db.session.flush()
    db.session.rollback()


# --- a renewed certificate is history, not an alarm --------------------------------------


def test_a_renewed_certificate_is_no_longer_an_alarm(client, school, create_user):
    today = school_today(school)
    holder = create_user(Role.STAFF, school, display_name="吴玉梅", canteen_worker=True)
    old = factories.create_certificate(
        holder, issued_on=today - timedelta(days=380), expires_on=today - timedelta(days=22), number="OLD-1"
    )
    assert [(s.status, s.certificate) for s in certificates.needing_attention(school)] == [
        (CertificateStatus.EXPIRED, old)
    ]
    new = factories.create_certificate(
        holder, issued_on=today - timedelta(days=1), expires_on=today + timedelta(days=364), number="NEW-1"
    )
    assert certificates.needing_attention(school) == []
    principal = create_user(Role.PRINCIPAL, school)
    login(client, principal)
    home = client.get("/").get_data(as_text=True)
    assert "OLD-1" not in home and "需要处理的证件" not in home
    mine = {s.certificate.number: s.status for s in certificates.of_holder(holder)}
    assert mine == {"OLD-1": CertificateStatus.SUPERSEDED, "NEW-1": CertificateStatus.VALID}
    assert new.status_on(today, 30) is CertificateStatus.VALID


def test_an_expiring_certificate_with_a_renewal_on_file_is_no_alarm(school, create_user):
    today = school_today(school)
    holder = create_user(Role.STAFF, school)
    factories.create_certificate(holder, issued_on=today - timedelta(days=355), expires_on=today + timedelta(days=10))
    assert [s.status for s in certificates.needing_attention(school)] == [CertificateStatus.EXPIRING]
    factories.create_certificate(holder, issued_on=today, expires_on=today + timedelta(days=365))
    assert certificates.needing_attention(school) == []


def test_a_canteen_worker_without_any_health_certificate_is_an_alarm(client, school, create_user):
    worker = create_user(Role.STAFF, school, display_name="马春花", canteen_worker=True)
    create_user(Role.STAFF, school, display_name="不在食堂")  # not on the roster: needs none
    [state] = certificates.needing_attention(school)
    assert (state.holder, state.kind.name, state.status) == (worker, "健康证", CertificateStatus.MISSING)
    login(client, create_user(Role.PRINCIPAL, school))
    home = client.get("/").get_data(as_text=True)
    assert "马春花" in home and "无记录" in home


def test_a_certificate_issued_in_the_future_is_refused(school, create_user):
    holder = create_user(Role.STAFF, school)
    tomorrow = school_today(school) + timedelta(days=1)
    with pytest.raises(DomainError) as refusal:
        factories.create_certificate(holder, issued_on=tomorrow, expires_on=tomorrow + timedelta(days=365))
    assert refusal.value.field == "issued_on"
    db.session.rollback()
    factories.create_certificate(holder, issued_on=tomorrow - timedelta(days=1), expires_in_days=360)


def test_the_clerk_ticks_who_was_present_in_one_form(client, school, create_user):
    from werkzeug.datastructures import MultiDict

    cooks = [create_user(Role.STAFF, school, display_name=f"工友{n}") for n in range(8)]
    stranger = create_user(Role.STAFF, factories.create_school("别的学校"))
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    page = client.get("/admin/training_sessions/new/").get_data(as_text=True)
    assert all(f'type="checkbox" value="{cook.id}"' in page for cook in cooks)
    assert f'value="{stranger.id}"' not in page
    form = MultiDict(training_form(title="每周例会"))
    for cook in cooks[:7]:
        form.add("present", str(cook.id))
    assert client.post("/admin/training_sessions/new/", data=form).status_code == 302
    session = db.session.scalar(sa.select(TrainingSession).where(TrainingSession.title == "每周例会"))
    assert sorted(a.user_id for a in session.attendances) == sorted(c.id for c in cooks[:7])
    edit = client.get(f"/admin/training_sessions/edit/?id={session.id}").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="present" type="checkbox" value="{cooks[0].id}"', edit)
    assert not re.search(rf'<input checked[^>]*name="present" type="checkbox" value="{cooks[7].id}"', edit)

    form = MultiDict(training_form(title="每周例会"))
    for cook in cooks[1:]:  # the first was not there after all; the last came late
        form.add("present", str(cook.id))
    for n, attendance in enumerate(session.attendances):
        form.add(f"attendances-{n}-id", str(attendance.id))
        form.add(f"attendances-{n}-user", str(attendance.user_id))
        form.add(f"attendances-{n}-status", "present")
    assert client.post(f"/admin/training_sessions/edit/?id={session.id}", data=form).status_code == 302
    db.session.expire_all()
    assert sorted(a.user_id for a in session.attendances) == sorted(c.id for c in cooks[1:])
    refused = MultiDict(training_form(title="外校人员"))
    refused.add("present", str(stranger.id))
    assert client.post("/admin/training_sessions/new/", data=refused).status_code == 200
    assert db.session.scalar(sa.select(TrainingSession).where(TrainingSession.title == "外校人员")) is None
