"""An amendment that changes nothing is refused, whatever way the same number is written back
(130 over 130.0): it would print "130 → 130" in the evidence."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.extensions import db
from portal.models import LedgerAmendment
from tests.conftest import login
from tests.test_ledgers_are_evidence import LOCKED, people  # noqa: F401 - the fixture


def test_an_amendment_that_changes_nothing_is_refused(client, people):  # noqa: F811
    sample = LOCKED["food_samples"](people)
    login(client, people.clerk)
    url = f"/admin/food_samples/edit/?id={sample.id}"
    data = {
        "dish": sample.dish_id,
        "container_label": sample.container_label,
        "retained_at": sample.retained_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M"),
        "retained_by": sample.retained_by_id,
        "reviewed_by": sample.reviewed_by_id,
        "amendment_reason": "核对",
    }
    for grams in ("130", "130.0", "130.00"):
        response = client.post(url, data=data | {"grams": grams})
        assert response.status_code == 200 and "没有改动" in response.get_data(as_text=True), grams
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerAmendment)) == 0
    assert client.post(url, data=data | {"grams": "131"}).status_code == 302  # a real correction is kept
