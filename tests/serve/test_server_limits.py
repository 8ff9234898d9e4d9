"""The server's guards against a hostile client, on a real `armstrace serve` bound to 127.0.0.1
(issue 11): the token is checked before a write's body is read, bodies are capped (413), only the
bound host names are answered, integer parameters are bounded, and errors carry the security
headers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from armstrace.serve.app import create_app
from armstrace.serve.guards import SECURITY_HEADERS, allowed_host_names, host_name
from armstrace.store import open_store

TOKEN = "limits-token-51c2"
MAX_BODY_MB = 1
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over an empty database: writes with TOKEN, bodies up to 1 MB."""
    db = tmp_path_factory.mktemp("limits") / "limits.db"
    with open_store(db):
        pass
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "armstrace.cli", "serve", "--db", str(db), "--port", str(port),
         "--max-body-mb", str(MAX_BODY_MB), "--allow-host", "arms.example.org"],
        env={**os.environ, "ARMSTRACE_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            httpx.get(url + "/api/stats", timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=30)


def raw_request(url: str, head: str, body: bytes = b"") -> bytes:
    """Send `head` and `body` on a fresh connection and return the first bytes answered."""
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        return sock.recv(65536)


def test_a_write_without_the_token_is_refused_before_its_body_is_read(server: str) -> None:
    # 100 MB announced, none of it sent: the answer comes without waiting for the body.
    head = (
        "POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 100000000\r\n"
    )
    answer = raw_request(server, head)
    assert answer.startswith(b"HTTP/1.1 401")
    assert b"x-content-type-options: nosniff" in answer.lower()


def test_an_announced_body_over_the_limit_is_refused_before_it_is_read(server: str) -> None:
    head = (
        "POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Length: {2 * 1024 * 1024}\r\n"
    )
    assert raw_request(server, head).startswith(b"HTTP/1.1 413")


def test_a_streamed_body_is_cut_off_at_the_limit(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 4 MB in all, without a Content-Length
            yield b" " * 65536

    response = httpx.post(
        server + "/api/ingest",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "--max-body-mb" in response.json()["detail"]


def test_a_body_under_the_limit_reaches_the_application(server: str) -> None:
    response = httpx.post(
        server + "/api/ingest",
        json={"documents": []},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert response.status_code == 422  # validated by the route: the guard let it through


@pytest.mark.parametrize(
    "host, status",
    [
        ("127.0.0.1", 200),
        ("localhost", 200),
        ("arms.example.org", 200),  # --allow-host
        ("rebound.attacker.example", 400),
        ("", 400),
    ],
)
def test_only_the_served_host_names_are_answered(server: str, host: str, status: int) -> None:
    port = server.rsplit(":", 1)[1]
    response = httpx.get(
        server + "/api/stats", headers={"Host": f"{host}:{port}" if host else ""}, timeout=10
    )
    assert response.status_code == status
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "query",
    [
        f"/api/claims?offset={2**63}",
        f"/api/documents?offset={2**63}",
        f"/api/transfers?min_sources={2**63}",
        f"/api/transfers?offset={2**64}",
        f"/api/actors?offset={2**63}",
        "/api/claims?limit=-1",
    ],
)
def test_huge_integers_are_a_4xx_never_a_500(server: str, query: str) -> None:
    response = httpx.get(server + query, timeout=10)
    assert response.status_code == 422, response.text
    assert (
        response.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    )


def test_a_500_carries_the_security_headers(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "boom.db"))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a fault of the server")

    client = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "a fault" not in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


@pytest.mark.parametrize(
    "header, name",
    [("localhost:8000", "localhost"), ("[::1]:8000", "::1"), ("[::1]", "::1"),
     ("Example.ORG", "example.org"), ("a:b:c", "a:b:c")],
)  # fmt: skip
def test_host_name(header: str, name: str) -> None:
    assert host_name(header) == name


def test_a_wildcard_bind_address_names_no_host() -> None:
    assert allowed_host_names("0.0.0.0") == {"localhost", "127.0.0.1", "::1"}
    assert "10.0.0.5" in allowed_host_names("10.0.0.5")
