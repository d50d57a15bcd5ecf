from portal.models import Role
from tests.conftest import login


def test_home_page_for_a_logged_in_clerk(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    login(client, clerk)
    response = client.get("/")
    assert response.status_code == 200
    assert school.name in response.get_data(as_text=True)
