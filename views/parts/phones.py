"""Closer on the couple's phones: the home-network guard, and the address with its QR code."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from closer import home_network, store
from closer.markdown import escape_markdown


def listening_beyond_this_computer() -> bool:
    """Whether this server listens on the network (make run-home), not only on loopback."""
    return not home_network.is_loopback(st.get_option("server.address"))


def guard_other_devices(db_path: Path) -> None:
    """On the network, another device sees nothing until every partner has a passcode."""
    address, client = st.get_option("server.address"), st.context.ip_address
    if not isinstance(client, str):
        client = None  # no connection at all: AppTest's stand-in, never a real browser
    if home_network.is_loopback(address) or home_network.is_loopback(client):
        return  # the usual case costs no database read
    with store.open_db(db_path) as db:
        without = store.partners_without_passcode(db)
        partners = len(store.list_partners(db))
    if home_network.may_open(address, client, partners, len(without)):
        return
    st.title("Closer isn't open to other devices yet")
    who = " and ".join(escape_markdown(name) for name in without)
    st.info(
        (
            f"{who} {'has' if len(without) == 1 else 'have'} no passcode yet. "
            if without
            else "Closer hasn't been set up yet. "
        )
        + "On the computer Closer runs on, open it there and set a passcode for each of you in "
        "Settings; then this page opens here too.",
        icon=":material/lock:",
    )
    st.stop()


def opened_at() -> str:
    """The address this page was opened on (scheme, host and port), for links back to it."""
    url = st.context.url
    if url:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return f"http://localhost:{st.get_option('server.port')}"


def phone_address() -> str | None:
    """The address a phone on the home network opens, or None on this computer only."""
    if not listening_beyond_this_computer():
        return None
    # The name or address this computer was opened on, when it is one the home network
    # knows (laptop.local keeps working when the router hands out a new address).
    host = urlsplit(st.context.url or "").hostname
    if host is None or not home_network.is_home_network_host(host):
        host = home_network.lan_address()
    https = bool(st.get_option("server.sslCertFile"))
    return home_network.phone_url(
        st.get_option("server.address"), host, st.get_option("server.port"), https
    )


def show_phone_address(partners: list[store.Partner] | None = None) -> None:
    """The address and QR code to open Closer on a phone, or how to get there.

    With the partners given, one code each: it opens that partner's check-in and the phone
    remembers who uses it (the id in the address, never the unlock), so there is no name to
    choose and no page to find, only the passcode to type.
    """
    url = phone_address()
    if url is None:
        st.markdown(
            "Closer is open on this computer only. To use it on your phones over your home "
            "Wi-Fi, first give each of you a passcode (above), then stop Closer and start it "
            "with `make run-home`. This section then shows the address and a code to scan."
        )
        return
    if partners:
        codes = st.columns(len(partners))
        for column, partner in zip(codes, partners, strict=True):
            # The id, never the name: an address is seen in history, bookmarks and logs.
            address = f"{url}/check-in?me={partner.id}"
            with column.container(key=f"phone-code-{partner.id}"):
                st.image(home_network.qr_png(address), width=160)
                st.caption(
                    f"Scan with {escape_markdown(partner.name)}'s phone's camera, or open it there:"
                )
                st.code(address, language=None, wrap_lines=True)
        words = st.container()
    else:
        left, words = st.columns([1, 2], vertical_alignment="center")
        left.image(home_network.qr_png(url), width=180, caption="Scan with your phone's camera")
        words.markdown("On a phone on the same Wi-Fi, open:")
        words.code(url, language=None)
    with words:
        if url.startswith("https://"):
            st.caption(
                "The connection is encrypted with your own certificate. Each phone may ask "
                "once whether to trust it."
            )
        else:
            st.caption(
                "The connection is plain HTTP: someone else on the same Wi-Fi could read what "
                "passes between phone and computer. Fine on your own home network, never on "
                "public or shared Wi-Fi. With a certificate of your own, `make run-home "
                "CERT=cert.pem KEY=key.pem` encrypts it."
            )
