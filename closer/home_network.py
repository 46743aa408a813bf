"""Using Closer from phones on the home network: when it is allowed, and the address to open."""

from __future__ import annotations

import io
import ipaddress
import re
import socket

import segno

LOOPBACK_NAMES = {"localhost", ""}


def is_loopback(address: str | None) -> bool:
    """Whether an address (a client's or the one the server listens on) is this computer only."""
    if address is None or address in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def is_private_lan(address: str) -> bool:
    """Whether an IPv4 address belongs to a home network range (10/8, 172.16/12, 192.168/16)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and ip.is_private and not ip.is_loopback and not ip.is_link_local


# Names a home network gives its computers: mDNS (laptop.local), RFC 8375's home.arpa, and
# the suffixes home routers commonly hand out. A phone on the same Wi-Fi resolves them too.
HOME_NAME_SUFFIXES = (".local", ".home.arpa", ".lan", ".home", ".internal")
# A host name as DNS spells it: the address bar's host comes from whoever sent the request,
# and it goes into the phones' codes, so anything else is not used.
_HOST_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}")


def is_home_network_host(host: str) -> bool:
    """Whether a host in the address bar names this computer on the home network."""
    if is_private_lan(host):
        return True
    name = host.lower().rstrip(".")
    if len(name) > 253 or not _HOST_NAME.fullmatch(name):
        return False
    return any(name.endswith(s) and len(name) > len(s) for s in HOME_NAME_SUFFIXES)


def lan_address() -> str | None:
    """This computer's address on the home network, or None when it has none."""
    try:
        # A UDP "connect" sends no packet: it only asks the system which of its addresses
        # would be used for an outside route (the same way Streamlit finds its Network URL).
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: documentation only, never routed
            found = probe.getsockname()[0]
    except OSError:
        return None
    return found if is_private_lan(found) else None


def phone_url(listen_address: str, host: str | None, port: int, https: bool) -> str | None:
    """The address to open on a phone, or None while Closer listens on this computer only."""
    if is_loopback(listen_address) or host is None:
        return None
    return f"{'https' if https else 'http'}://{host}:{port}"


def home_network_problem(partner_names: list[str], without_passcode: list[str]) -> str | None:
    """Why Closer may not listen on the home network yet, in one line, or None when it may."""
    if not partner_names:
        return (
            "Set Closer up first (make run), then give each of you a passcode in Settings: "
            "until then anyone on the network could open it."
        )
    if without_passcode:
        who = " and ".join(without_passcode)
        return (
            f"{who} {'has' if len(without_passcode) == 1 else 'have'} no passcode yet. Set one "
            "in Settings (make run), then start make run-home: on the network, anyone who "
            "finds Closer could otherwise open it."
        )
    return None


def may_open(listen_address: str, client: str | None, partners: int, without: int) -> bool:
    """Whether a request may see Closer: always on this computer, elsewhere only when every
    partner (of at least one) has a passcode."""
    if is_loopback(listen_address) or is_loopback(client):
        return True
    return partners > 0 and without == 0


def qr_png(url: str) -> bytes:
    """A QR code of an address, as a PNG, for a phone's camera."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="png", scale=8, border=2, dark="#2E2522", light="#FFFBF7"
    )
    return buffer.getvalue()
