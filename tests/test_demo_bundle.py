"""The demo school's bundle, read as an auditor reads it (its extracted text): the checker of an
enrolment change is 核对人; an unsigned month shows its figures, marked 未签字; no date is broken
inside; the semester's surveys are there by audience with their answers; the food-safety
director check is in the school's own summary; the period's clean-plate figure stands against
its target; no stocktake is missing from before the storeroom held stock; and the demo keeps
its own rules (no sample kept past its hours without a discard)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.evidence import jobs, storage
from portal.extensions import db
from portal.models import EvidenceExport, School, StockBatch, User
from portal.services import evidence
from portal.services.calendar import current_term
from portal.timeutil import school_today
from tests.test_evidence import evidence_settings, pdf_text  # noqa: F401

SECTIONS = ["canteen", "food_safety", "storeroom", "nutrition"]


def _bundle_text(school):
    principal = db.session.scalar(sa.select(User).where(User.username == "xx-principal"))
    today = school_today(school)
    first = current_term(school.id, today).starts_on
    export = evidence.request_export(principal, school, first, today - timedelta(days=1), SECTIONS, "pdf")
    db.session.commit()
    jobs.run(export.id)
    db.session.expire_all()
    return pdf_text(storage.path_of(db.session.get(EvidenceExport, export.id).storage_key)), first


# The demo is seeded once per test process; at the other boundary moments the bundle would read
# the same records to a later day (25 s each): the demo at every moment is test_setup's.
@pytest.mark.real_time
def test_the_demo_bundle_reads_right(demo_county):
    school = db.session.scalar(sa.select(School).where(School.name == "XX中学"))
    text, first = _bundle_text(school)
    assert "核对人" in text
    unsigned_month = r"\d{4}-\d{2}\s+[\d.]+\s+[\d.]+\s+-?[\d.]+\s+.*未签字"
    assert re.search(unsigned_month, text), "an unsigned month shows its figures"
    dates = re.findall(r"\b\d{4}-[\d-]*", text)
    broken = [date for date in dates if re.fullmatch(r"\d{4}-(\d?|\d{2}-\d?)", date)]  # 2026-1, 2026-11-3
    assert dates and not broken, broken[:5]
    assert "问卷调查：已完成" in text and "调查人数" in text and "家长" in text
    assert "须配备食品安全总监" in text
    assert "光盘行动：" in text  # the period's figure, or that nothing was weighed (a term still to come)
    assert "小时后未记录处理" not in text
    first_stock = db.session.scalar(sa.select(sa.func.min(StockBatch.day)).where(StockBatch.school_id == school.id))
    [stocktakes] = [line for line in text.splitlines() if "月度盘点已签字" in line]
    missing = re.findall(r"\d{4}-\d{2}", stocktakes)
    assert all(month >= first_stock.strftime("%Y-%m") for month in missing), (missing, first_stock, first)
