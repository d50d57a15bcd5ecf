"""The first reminder of a certificate comes on the first day the lists show it as expiring
(within school hours), not a day later: the page and the reminder agree."""

from datetime import date, timedelta

from portal.extensions import db
from portal.models import CertificateStatus
from portal.services import reminders
from tests import factories
from tests.factories import school_moment
from tests.test_reminders import people, prompted  # noqa: F401

EXPIRES = date(2026, 10, 20)


def test_the_first_prompt_is_on_the_first_day_the_list_says_expiring(people):  # noqa: F811
    certificate = factories.create_certificate(people.cook, issued_on=date(2025, 10, 21), expires_on=EXPIRES)
    warning = people.school.settings.certificate_warning_days
    first_day = EXPIRES - timedelta(days=warning)
    # What the lists show (services/certificates.py asks the same question of each certificate).
    assert certificate.status_on(first_day - timedelta(days=1), warning) is CertificateStatus.VALID
    assert certificate.status_on(first_day, warning) is CertificateStatus.EXPIRING

    reminders.run(people.school, now=school_moment(first_day - timedelta(days=1), 19))
    db.session.commit()
    assert prompted("certificates") == []
    reminders.run(people.school, now=school_moment(first_day, 7))
    db.session.commit()
    [reminder] = prompted("certificates")
    assert reminder.prompted_at == school_moment(first_day, 7)
