"""A stocktake refused at the director's signature is no dead end: the count is as at its
start, the page lists what left each batch since, the keeper's page names the batch the
signature would refuse and why, and the keeper can begin the count again, the earlier count
kept on the page (and whole in the audit trail)."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import AuditEvent, Meal
from portal.services import stocktakes, storeroom
from portal.timeutil import school_today, utcnow
from tests import factories
from tests.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.clock


@pytest.fixture
def people(school):
    return factories.school_staff(school)


def _counted_then_issued(client, people):
    """The keeper counts 18 of 20 kg and signs; then 19 kg go to the kitchen."""
    today = factories.open_day(people.school)
    batch = factories.stock(people.school, people.keeper, quantity=20, day=today)
    month = today.strftime("%Y-%m")
    login(client, people.keeper)
    client.post(f"/storeroom/stocktake/{month}/start")
    [line] = stocktakes.of_month(people.school.id, school_today(people.school).replace(day=1)).lines
    client.post(f"/storeroom/stocktake/{month}/count", data={f"counted-{line.id}": "18", f"reason-{line.id}": "受潮"})
    assert client.post(f"/storeroom/stocktake/{month}/keeper-sign", data={"password": PASSWORD}).status_code == 302
    storeroom.issue(people.keeper, batch.item, today, Meal.LUNCH, Decimal(19), now=utcnow())
    db.session.commit()
    return batch, month


def test_the_refusal_names_the_batch_what_left_since_and_the_way_out(client, people):
    batch, month = _counted_then_issued(client, people)
    login(client, people.director)
    refused = client.post(f"/storeroom/stocktake/{month}/sign", data={"password": PASSWORD})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "此后已出库 19kg" in text and "重新开始盘点" in text
    login(client, people.keeper)
    page = client.get(f"/storeroom/stocktake/{month}").get_data(as_text=True)
    assert "stocktake-cannot-sign" in page and str(batch) in page
    assert "开始盘点后已出库 19kg" in page and "开始盘点时" in page


def test_the_keeper_begins_again_and_the_director_signs_the_new_count(client, people):
    batch, month = _counted_then_issued(client, people)
    assert client.post(f"/storeroom/stocktake/{month}/restart").status_code == 302
    stocktake = stocktakes.of_month(people.school.id, school_today(people.school).replace(day=1))
    [line] = stocktake.lines
    assert (line.book, line.counted, stocktake.keeper_signed_at) == (1, 1, None)
    page = client.get(f"/storeroom/stocktake/{month}").get_data(as_text=True)
    assert "earlier-count" in page and "实盘 18" in page and "受潮" in page
    assert "stocktake-cannot-sign" not in page
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "stocktake.restarted")).all()
    assert event.before["lines"][str(batch.id)][2:] == ["18", "受潮"]
    client.post(f"/storeroom/stocktake/{month}/keeper-sign", data={"password": PASSWORD})
    login(client, people.director)
    assert client.post(f"/storeroom/stocktake/{month}/sign", data={"password": PASSWORD}).status_code == 302
    assert storeroom.on_hand(people.school.id)[0].on_hand == 1


def test_a_signed_stocktake_does_not_begin_again(client, people):
    today = factories.open_day(people.school)
    factories.stock(people.school, people.keeper, quantity=20, day=today)
    month = today.strftime("%Y-%m")
    login(client, people.keeper)
    client.post(f"/storeroom/stocktake/{month}/start")
    client.post(f"/storeroom/stocktake/{month}/keeper-sign", data={"password": PASSWORD})
    login(client, people.director)
    assert client.post(f"/storeroom/stocktake/{month}/sign", data={"password": PASSWORD}).status_code == 302
    login(client, people.keeper)
    assert client.post(f"/storeroom/stocktake/{month}/restart").status_code == 422
    stocktake = stocktakes.of_month(people.school.id, school_today(people.school).replace(day=1))
    assert stocktake.is_signed and stocktakes.earlier_counts(stocktake) == []
    assert "重新开始盘点" not in client.get(f"/storeroom/stocktake/{month}").get_data(as_text=True)
