"""Closer on the home network: who may open it, the address and QR code, and HTTPS."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit import config

from closer import home_network
from tests.apptest import open_app
from tests.factories import give_passcode
from tests.test_admin import run_admin

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        (None, True),  # Streamlit's client address on this computer
        ("", True),
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("fe80::1", False),
    ],
)
def test_what_counts_as_this_computer(address, loopback):
    assert home_network.is_loopback(address) is loopback


@pytest.mark.parametrize(
    ("address", "home"),
    [
        ("192.168.1.20", True),
        ("10.0.0.7", True),
        ("172.16.4.2", True),
        ("172.32.0.1", False),  # just outside 172.16/12
        ("8.8.4.4", False),
        ("127.0.0.1", False),
        ("169.254.3.3", False),  # link-local: no router handed it out
        ("not an address", False),
    ],
)
def test_what_counts_as_a_home_network_address(address, home):
    assert home_network.is_private_lan(address) is home


@pytest.mark.parametrize(
    ("host", "home"),
    [
        ("192.168.1.20", True),
        ("laptop.local", True),  # mDNS, what most phones resolve on their own
        ("Laptop.LOCAL.", True),  # names ignore case; a trailing dot is the same name
        ("pc.home.arpa", True),
        ("pc.lan", True),
        ("pc.fritz.box", False),  # a router's own suffix we don't know: the probe decides
        ("local", False),
        (".local", False),
        ("closer.example.com", False),  # a name on the internet, never for the phones
        ("8.8.4.4", False),
        ("localhost", False),
        ("evil_host<b>.local", False),  # not a host name: sent by a stranger, never shown
        ("pc..local", False),
        ("a" * 300 + ".local", False),
    ],
)
def test_what_counts_as_this_computer_on_the_home_network(host, home):
    assert home_network.is_home_network_host(host) is home


@pytest.mark.parametrize(
    ("listen", "client", "partners", "without", "allowed"),
    [
        ("127.0.0.1", "192.168.1.30", 2, 2, True),  # not listening on the network at all
        ("0.0.0.0", None, 2, 2, True),  # the computer itself
        ("0.0.0.0", "192.168.1.30", 2, 1, False),  # a phone, one passcode missing
        ("0.0.0.0", "192.168.1.30", 2, 0, True),
        ("0.0.0.0", "192.168.1.30", 0, 0, False),  # not set up: a phone can't do onboarding
        ("0.0.0.0", "192.168.1.30", 1, 0, True),  # one person using it alone
    ],
)
def test_who_may_open_closer(listen, client, partners, without, allowed):
    assert home_network.may_open(listen, client, partners, without) is allowed


def test_the_phone_address_follows_scheme_host_and_port():
    assert home_network.phone_url("127.0.0.1", "192.168.1.20", 8501, False) is None
    assert home_network.phone_url("0.0.0.0", None, 8501, False) is None
    assert home_network.phone_url("0.0.0.0", "192.168.1.20", 8501, False) == (
        "http://192.168.1.20:8501"
    )
    assert home_network.phone_url("0.0.0.0", "10.0.0.7", 8443, True) == "https://10.0.0.7:8443"


def test_the_qr_code_is_a_png():
    assert home_network.qr_png("http://192.168.1.20:8501").startswith(b"\x89PNG\r\n\x1a\n")


def run_check(db_path: Path) -> subprocess.CompletedProcess:
    return run_admin(db_path, "check-home-network")


def test_run_home_starts_only_once_everyone_has_a_passcode(db_path, couple):
    alex, sam = couple
    give_passcode(db_path, alex.id)
    refused = run_check(db_path)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "closer.admin: Sam has no passcode yet. Set one in Settings (make run), then start "
        "make run-home: on the network, anyone who finds Closer could otherwise open it."
    )
    give_passcode(db_path, sam.id)
    allowed = run_check(db_path)
    assert allowed.returncode == 0, allowed.stderr
    assert "Settings on this computer for the address and a QR code" in allowed.stdout


def test_run_home_refuses_before_set_up(db_path):
    result = run_check(db_path)
    assert result.returncode == 1 and "Set Closer up first" in result.stderr


@pytest.fixture
def network_options(monkeypatch):
    """Streamlit options as make run-home sets them, restored afterwards."""
    before = {k: config.get_option(k) for k in ("server.address", "server.sslCertFile")}
    monkeypatch.setattr(home_network, "lan_address", lambda: "192.168.1.20")

    def apply(address: str, cert: str | None = None) -> None:
        config.set_option("server.address", address)
        config.set_option("server.sslCertFile", cert)

    yield apply
    for key, value in before.items():
        config.set_option(key, value)


def test_settings_explains_how_to_get_on_the_phones_when_local_only(db_path, couple):
    at = open_app(couple[0].id, "views/pages/our_settings.py")
    text = " ".join(m.value for m in at.markdown)
    assert "open on this computer only" in text and "make run-home" in text
    assert not at.get("image")


def test_settings_shows_the_address_and_qr_code_on_the_home_network(
    db_path, couple, network_options
):
    network_options("0.0.0.0")
    alex, sam = couple
    at = open_app(alex.id, "views/pages/our_settings.py")
    # One code per partner, each opening their own check-in with the phone remembering them
    # (by id, never by name), its address written beside it.
    assert len(at.get("image")) == 2
    assert [c.value for c in at.code] == [
        f"http://192.168.1.20:8501/check-in?me={alex.id}",
        f"http://192.168.1.20:8501/check-in?me={sam.id}",
    ]
    captions = [c.value for c in at.caption]
    assert "Scan with Alex's phone's camera, or open it there:" in captions
    assert "Scan with Sam's phone's camera, or open it there:" in captions
    assert any("plain HTTP" in c.value for c in at.caption)

    network_options("0.0.0.0", "/somewhere/cert.pem")
    at = open_app(alex.id, "views/pages/our_settings.py")
    assert f"https://192.168.1.20:8501/check-in?me={alex.id}" in [c.value for c in at.code]
    assert any("encrypted with your own certificate" in c.value for c in at.caption)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made on the spot, as a couple might make their own."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "closer.home")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.browser
def test_closer_serves_https_with_the_couples_own_certificate(tmp_path, browser):
    from playwright.sync_api import expect

    from tests.browser import free_port, wait_for_app

    cert, key = self_signed_certificate(tmp_path)
    port = free_port()
    env = {**os.environ, "CLOSER_DB": str(tmp_path / "closer.db")}
    server = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            "--server.sslCertFile", str(cert), "--server.sslKeyFile", str(key),
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        url = f"https://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", context=trusting) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None:
                raise AssertionError("the server stopped")
            time.sleep(0.1)  # poll the health URL until the server answers
        # Plain HTTP on the same port is not answered as the app.
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).read()
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Welcome to Closer")).to_be_visible()
        context.close()
    finally:
        # As tests.browser.running_app stops its servers: a busy machine can keep Streamlit's
        # graceful stop waiting past the test's end (seen once while another suite ran).
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
