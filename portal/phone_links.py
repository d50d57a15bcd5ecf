"""Links meant for a phone (a survey's link, its QR code and poster, group messages): built on
PORTAL_BASE_URL, the address people reach the portal at, never on the address of the browser
that asks. On a school PC that address is 127.0.0.1, which no phone can open."""

import io
import ipaddress
import socket
from urllib.parse import urlsplit

import segno
from flask import current_app, request, url_for

# Private networks a school's LAN uses: asking the system which of its addresses it would use to
# reach one names the machine's address there. A UDP socket's connect() sends nothing.
PROBES = ("10.255.255.255", "172.31.255.255", "192.168.255.255")


def phone_url(endpoint, **values):
    """The endpoint's address under PORTAL_BASE_URL, or "" when that is not set."""
    base = current_app.config["PORTAL_BASE_URL"]
    if not base:
        return ""
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def link_to_hand_out(endpoint, **values):
    """The link to give people: under PORTAL_BASE_URL; without it, the address of the browser
    that asks, which works on this computer only (the page says so: reaches_phones())."""
    return phone_url(endpoint, **values) or url_for(endpoint, _external=True, **values)


def reaches_phones():
    """Whether PORTAL_BASE_URL is set to an address another device can open."""
    host = urlsplit(current_app.config["PORTAL_BASE_URL"] or "").hostname
    if not host or host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name, as a county server has


def network_addresses():
    """This machine's IPv4 addresses on its networks, loopback left out."""
    found = set()
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    for probe in PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                found.add(udp.getsockname()[0])
        except OSError:
            continue
    return sorted(address for address in found if not ipaddress.ip_address(address).is_loopback)


def addresses_to_choose_from():
    """When PORTAL_BASE_URL does not reach phones: the portal's address on each network this
    machine is on, at the port this browser uses (the page lists them for the administrator)."""
    if reaches_phones():
        return []
    port = request.host.rpartition(":")[2] if ":" in request.host else ""
    return [f"http://{address}{':' + port if port else ''}/" for address in network_addresses()]


def qr_svg(link):
    """The link's QR code as an SVG image."""
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=8, border=2)
    return svg.getvalue()


def qr_data_uri(link):
    """The link's QR code as a PNG data URI, for a poster's PDF."""
    return segno.make(link, error="m").png_data_uri(scale=10, border=2)
