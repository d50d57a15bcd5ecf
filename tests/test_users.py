"""Users and roles: who may grant what, and what bad input gets."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.errors import DomainError
from portal.extensions import db
from portal.models import Role, User
from portal.services import users
from tests import factories
from tests.conftest import login


def new_user_form(**overrides):
    data = {
        "username": "newcook",
        "display_name": "新工友",
        "roles": ["staff"],
        "active": "y",
        "password": "a-good-password",
    }
    return data | overrides


def test_a_school_admin_creates_staff_of_their_school(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/users/new/", data=new_user_form())
    assert response.status_code == 302
    created = users.find_by_username("newcook")
    assert created.school_id == school.id and created.roles == {Role.STAFF}


def test_a_duplicate_username_is_refused_and_the_form_kept(client, school, create_user):
    create_user(Role.STAFF, school, username="newcook")
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/users/new/", data=new_user_form(display_name="另一个人"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "用户名 newcook 已被使用" in page
    assert "另一个人" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.display_name == "另一个人")) == 0


def test_a_school_admin_cannot_create_a_county_role(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/users/new/", data=new_user_form(roles=["county_admin"]))
    assert response.status_code == 200
    assert users.find_by_username("newcook") is None


def test_the_service_refuses_a_county_role_from_a_school_admin(school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    with pytest.raises(DomainError) as refused:
        users.create_user(
            clerk,
            username="sneaky",
            display_name="x",
            password="a-good-password",
            roles=[Role.COUNTY_ADMIN],
            school=school,
        )
    assert refused.value.field == "roles"


def test_a_school_admin_cannot_place_a_user_in_another_school(client, school, other_school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    client.post("/admin/users/new/", data=new_user_form(school=str(other_school.id)))
    assert users.find_by_username("newcook").school_id == school.id  # the forged field is ignored


def test_a_county_admin_creates_a_school_admin(client, school, create_user):
    login(client, create_user(Role.COUNTY_ADMIN))
    response = client.post(
        "/admin/users/new/", data=new_user_form(username="clerk2", roles=["school_admin"], school=str(school.id))
    )
    assert response.status_code == 302
    assert users.find_by_username("clerk2").school_id == school.id


def test_the_county_admin_grants_the_roles_that_sign(client, school, create_user):
    """Segregation of duties: the principal (who signs), the director (who inspects and
    manages) and the school admin come from the county, never from the school's clerk."""
    login(client, create_user(Role.COUNTY_ADMIN))
    client.post("/admin/users/new/", data=new_user_form(username="boss", roles=["principal"], school=str(school.id)))
    assert users.find_by_username("boss").roles == {Role.PRINCIPAL}


@pytest.mark.parametrize("role", ["principal", "director", "school_admin"])
def test_a_school_admin_cannot_create_a_signing_or_managing_role(client, school, create_user, role):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.post("/admin/users/new/", data=new_user_form(username="boss", roles=[role]))
    assert response.status_code == 200
    assert users.find_by_username("boss") is None


def test_county_and_school_roles_do_not_mix(create_user, school):
    with pytest.raises(DomainError):
        users.create_user(
            None,
            username="mixed",
            display_name="x",
            password="a-good-password",
            roles=[Role.COUNTY_AUDITOR, Role.STAFF],
            school=school,
        )


def test_a_user_cannot_deactivate_themselves(school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    with pytest.raises(DomainError):
        users.update_user(clerk, clerk, display_name=clerk.display_name, roles=[Role.SCHOOL_ADMIN], active=False)


def test_user_export_and_details_never_contain_secrets(client, school, create_user):
    staff = create_user(Role.STAFF, school)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    pages = [
        client.get("/admin/users/export/csv/").get_data(as_text=True),
        client.get(f"/admin/users/details/?id={staff.id}").get_data(as_text=True),
        client.get("/admin/users/").get_data(as_text=True),
    ]
    assert staff.username in pages[0] and staff.username in pages[1]
    for page in pages:
        assert "$argon2" not in page
        assert staff.session_token not in page


def test_cli_creates_a_county_admin_asking_for_the_password(app):
    runner = CliRunner()
    result = runner.invoke(
        app.cli,
        ["users", "create", "--username", "countyboss", "--name", "县管理员", "--role", "county_admin"],
        input="a-good-password\na-good-password\n",
    )
    assert result.exit_code == 0, result.output
    assert users.find_by_username("countyboss").roles == {Role.COUNTY_ADMIN}


def test_cli_sets_a_password_and_deactivates(app, school, create_user):
    person = create_user(Role.STAFF, school, username="forgetful")
    old_token = person.session_token
    runner = CliRunner()
    result = runner.invoke(
        app.cli, ["users", "set-password", "forgetful"], input="another-password\nanother-password\n"
    )
    assert result.exit_code == 0, result.output
    assert users.authenticate("forgetful", "another-password") is not None
    assert db.session.get(User, person.id).session_token != old_token
    assert runner.invoke(app.cli, ["users", "deactivate", "forgetful"]).exit_code == 0
    assert users.authenticate("forgetful", "another-password") is None


def test_cli_reports_bad_input_plainly(app):
    runner = CliRunner()
    result = runner.invoke(
        app.cli,
        ["users", "create", "--username", "x", "--name", "短", "--role", "staff", "--school", "没有这所学校"],
        input="a-good-password\na-good-password\n",
    )
    assert result.exit_code != 0 and "no school named" in result.output
    assert runner.invoke(app.cli, ["users", "deactivate", "nobody"]).exit_code != 0


def test_passwords_are_argon2id(school, create_user):
    assert create_user(Role.STAFF, school).password_hash.startswith("$argon2id$")


def test_the_factory_default_password_works(school):
    user = factories.create_user(Role.STAFF, school)
    assert users.authenticate(user.username, factories.PASSWORD).id == user.id
