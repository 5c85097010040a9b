"""``python generate.py serve``: the third command, as a person runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from ..conftest import PROJECT, TODAY, Workspace, run_cli


def test_serve_listens_on_this_computer_only_by_default_and_stops_on_ctrl_c() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "generate.py", "serve", "--port", "0", "--today", TODAY], cwd=PROJECT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Serving the school form at http://127.0.0.1:"), line + proc.stderr.read()
        assert "this computer only" in line and "Nothing a school sends is kept" in line
        url = line.split(" at ", 1)[1].split("/ ", 1)[0] + "/"
        deadline = time.monotonic() + 120
        while True:
            try:
                r = httpx.get(url, timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        assert r.status_code == 200 and "Make your school" in r.text
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        with socket.socket() as s:  # not on another address of this machine
            s.settimeout(2)
            other = socket.gethostbyname(socket.gethostname())
            if other != "127.0.0.1" and not other.startswith("127."):
                assert s.connect_ex((other, port)) != 0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0, proc.stderr.read()
    assert proc.stdout.read().strip().endswith("Stopped.")


def test_a_port_in_use_is_said_plainly() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = run_cli(["serve", "--port", str(port)])
    assert r.code == 2
    assert f"generate.py serve: error: cannot listen on 127.0.0.1:{port}: " in r.err and "choose another --port" in r.err


def test_broken_content_stops_serve_before_it_listens(ws: Workspace) -> None:
    ws.replace("content/contacts.yaml", 'phone: "0808 800 5000"', 'phone: "0808 800 500"')
    r = run_cli(["serve", "--content", ws.content, "--port", "0"])
    assert r.code == 1
    assert "contacts.yaml:" in r.err and "contacts.nspcc.phone" in r.err and "Serving" not in r.out


def test_serve_help_teaches() -> None:
    r = run_cli(["serve", "--help"])
    assert r.code == 0
    text = " ".join(r.out.split())
    for words in ("--host", "127.0.0.1", "--port", "8000", "Nothing a school sends is kept"):
        assert words in text, words


def test_a_mistyped_serve_gets_did_you_mean() -> None:
    r = run_cli(["serv"])
    assert r.code == 2 and "did you mean 'serve'?" in r.err
