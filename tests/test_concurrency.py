"""Real threads against the real database: no lost update, exactly one sign-off."""

import threading

from sqlalchemy.orm.exc import StaleDataError

from portal.errors import DomainError
from portal.extensions import db
from portal.models import AuditEvent, Inspection, InspectionItem, InspectionStatus, Role, User
from portal.services import inspections, signing
from tests import factories
from tests.test_inspection_workflow import ready, started, w  # noqa: F401 - the fixture


def race(app, *jobs):
    """Run the jobs at the same moment, each in its own thread and app context.
    Returns what each job returned, or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = job()
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - returned to the test
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_principals_signing_at_once_record_one_sign_off(app, w, create_user):  # noqa: F811
    inspection_id = ready(w).id
    second = create_user(Role.PRINCIPAL, w.school, display_name="副校长")
    principal_ids = (w.principal.id, second.id)
    db.session.commit()

    def sign(user_id):
        return lambda: signing.sign_off(db.session.get(User, user_id), [inspection_id], factories.PASSWORD)

    results = race(app, sign(principal_ids[0]), sign(principal_ids[1]))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], (DomainError, StaleDataError)), results
    if isinstance(refused[0], DomainError):
        assert "签字" in str(refused[0]) or "signed off" in str(refused[0])
    db.session.expire_all()
    assert db.session.get(Inspection, inspection_id).status is InspectionStatus.SIGNED_OFF
    signed_events = db.session.scalar(
        db.select(db.func.count()).select_from(AuditEvent).where(AuditEvent.action == "inspection.signed_off")
    )
    assert signed_events == 1


def test_two_windows_saving_one_answer_lose_nothing_silently(app, w):  # noqa: F811
    item = started(w).items[0]
    item_id, director_id, seen = item.id, w.director.id, item.version
    db.session.commit()

    def save(note):
        def job():
            director = db.session.get(User, director_id)
            return inspections.answer_item(director, db.session.get(InspectionItem, item_id), "fail", note, seen).note

        return job

    results = race(app, save("窗口一"), save("窗口二"))
    saved = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], (inspections.Conflict, StaleDataError))
    db.session.expire_all()
    assert db.session.get(InspectionItem, item_id).note == saved[0]


def test_two_keepers_issuing_the_last_rice_at_once_get_it_once(app, school, create_user):
    """The balances are locked before they are read: the second keeper sees what the first
    left and is refused with it; the book still equals the ledger."""
    from decimal import Decimal

    from portal.models import Meal, StockBalance, StockItem
    from portal.services import stock_book, storeroom

    keepers = [create_user(Role.STAFF, school, display_name=name) for name in ("郑国平", "钱库管")]
    factories.add_term(school)
    batch = factories.stock(school, keepers[0], quantity=3)
    item_id, batch_id, keeper_ids = batch.item_id, batch.id, [keeper.id for keeper in keepers]
    day = factories.LEDGER_DAY
    db.session.commit()  # the test's own transaction holds no lock while the keepers race

    def take(keeper_id):
        def job():
            keeper = db.session.get(User, keeper_id)
            item = db.session.get(StockItem, item_id)
            return storeroom.issue(keeper, item, day, Meal.LUNCH, Decimal(3), now=factories.school_moment(day, 10, 30))

        return job

    results = race(app, take(keeper_ids[0]), take(keeper_ids[1]))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], DomainError) and "0kg" in str(refused[0]), results
    db.session.expire_all()
    assert db.session.get(StockBalance, batch_id).on_hand == 0
    assert stock_book.book_differences(school.id) == {}
