"""check-links against a real HTTP server on 127.0.0.1 started here (never the internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cseprint.links import check_url

SEEN: list[tuple[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _answer(self) -> None:
        SEEN.append((self.command, self.path))
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/flaky":
            self.send_response(503)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_ok_with_head_only(server: str) -> None:
    SEEN.clear()
    r = check_url(f"{server}/ok", timeout=2)
    assert r.ok and r.status == 200
    assert SEEN == [("HEAD", "/ok")]


def test_falls_back_to_get_when_head_refused(server: str) -> None:
    SEEN.clear()
    r = check_url(f"{server}/no-head", timeout=2)
    assert r.ok and r.detail.startswith("GET 200")
    assert SEEN == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_redirect_is_reported(server: str) -> None:
    r = check_url(f"{server}/moved", timeout=2)
    assert r.ok and r.final_url == f"{server}/ok" and "redirected" in r.detail


def test_missing_page_fails_without_retry(server: str) -> None:
    SEEN.clear()
    r = check_url(f"{server}/gone", timeout=2)
    assert not r.ok and r.status == 404
    assert SEEN == [("HEAD", "/gone")]


def test_server_error_retried_once(server: str) -> None:
    SEEN.clear()
    r = check_url(f"{server}/flaky", timeout=2, retries=1)
    assert not r.ok
    assert SEEN == [("HEAD", "/flaky"), ("HEAD", "/flaky")]


def test_refused_connection_is_a_result_not_an_exception() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    r = check_url(f"http://127.0.0.1:{port}/", timeout=1, retries=0)
    assert not r.ok and r.status is None and "failed" in r.detail


def _closed_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_no_server_answering_the_first_addresses_is_offline_and_stops_there() -> None:
    from cseprint.links import OFFLINE_AFTER, check_all

    dead = [f"http://127.0.0.1:{_closed_port()}/{i}" for i in range(OFFLINE_AFTER + 2)]
    asked: list[str] = []

    def check(url: str):
        asked.append(url)
        return check_url(url, timeout=1, retries=0)

    results, offline = check_all(dead, check)
    assert offline and len(results) == OFFLINE_AFTER and asked == dead[:OFFLINE_AFTER]
    assert not any(r.reached for r in results)


def test_one_answer_among_failures_is_not_offline(server: str) -> None:
    from cseprint.links import check_all

    urls = [f"http://127.0.0.1:{_closed_port()}/", f"{server}/gone", f"{server}/ok", f"http://127.0.0.1:{_closed_port()}/"]
    results, offline = check_all(urls, lambda u: check_url(u, timeout=1, retries=0))
    assert not offline and len(results) == len(urls)
    assert [r.reached for r in results] == [False, True, True, False]
    assert [r.ok for r in results] == [False, False, True, False]  # a 404 answered: broken, but online
