"""A new user's first login says in one sentence who made the account and when, not the
account's twenty fields; a later change by someone else is still told in full."""

from portal.extensions import db
from portal.models import Role
from portal.services import users
from tests import factories
from tests.test_auth import form_login


def _messages(client):
    with client.session_transaction() as session:
        return [text for _category, text in session.get("_flashes", [])]


def test_the_first_login_names_who_made_the_account_in_one_sentence(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school, display_name="王晓燕")
    users.create_user(
        clerk, username="newcook", display_name="新厨师", password=factories.PASSWORD, roles=[Role.STAFF], school=school
    )
    db.session.commit()
    assert form_login(client, "newcook").status_code == 302
    [notice] = _messages(client)
    assert notice.startswith("您的账号由 王晓燕 于 ") and notice.endswith("创建。")
    assert "用户名" not in notice and "→" not in notice
