"""Survey links for phones: the link, the QR code and the A4 poster are built on PORTAL_BASE_URL,
never on the address of the clerk's browser; without it the page says phones cannot open the
link and lists this computer's addresses on its networks. The poster's QR code decodes to the
configured address."""

import subprocess

import zxingcpp
from PIL import Image

from portal import phone_links
from tests.conftest import login
from tests.test_surveys import make_survey, people  # noqa: F401 - the fixture

SCHOOL_ADDRESS = "http://192.168.1.20:5000/"


def test_the_link_and_its_qr_code_use_the_portals_address(app, client, people, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", SCHOOL_ADDRESS)
    survey = make_survey(people)
    login(client, people.clerk)  # the clerk's browser reaches the portal at http://localhost/
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert f'value="http://192.168.1.20:5000/s/{survey.token}"' in page
    assert 'id="link-warning"' not in page and "http://localhost/s/" not in page
    qr = client.get(f"/surveys/{survey.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


def test_without_the_portals_address_the_page_says_phones_cannot_open_it(app, client, people, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "")
    monkeypatch.setattr(phone_links, "network_addresses", lambda: ["192.168.1.20", "10.0.3.7"])
    survey = make_survey(people)
    login(client, people.clerk)
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    warning = page.split('id="link-warning"')[1].split("</div>")[0]
    assert "手机打不开这个链接" in warning and "PORTAL_BASE_URL" in warning
    assert "<code>http://192.168.1.20/</code>" in warning and "<code>http://10.0.3.7/</code>" in warning
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "http://localhost:5000/")  # set, but to this computer
    assert 'id="link-warning"' in client.get(f"/surveys/{survey.id}").get_data(as_text=True)


def test_the_addresses_of_this_computer_leave_out_loopback():
    assert all(not address.startswith("127.") for address in phone_links.network_addresses())


def test_the_poster_is_an_a4_pdf_whose_qr_code_opens_the_survey(app, client, people, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", SCHOOL_ADDRESS)
    survey = make_survey(people)
    login(client, people.cook)  # whoever reads the canteen's pages may print it
    poster = client.get(f"/surveys/{survey.id}/poster.pdf")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=poster.data, capture_output=True, check=True).stdout.decode()
    link = f"http://192.168.1.20:5000/s/{survey.token}"
    assert survey.title in text and link in text and "截止" in text
    size = subprocess.run(["pdfinfo", "-"], input=poster.data, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in size
    (tmp_path / "poster.pdf").write_bytes(poster.data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", tmp_path / "poster.pdf", tmp_path / "poster"], check=True
    )
    [code] = zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))
    assert code.text == link
