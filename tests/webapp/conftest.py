"""The web app served for real (uvicorn on a free port of 127.0.0.1, its worker processes and all), and the
example school as a form a person would fill in."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from cseprint.web.app import create_app
from cseprint.web.jobs import Settings
from cseprint.web.serve import listen

from ..conftest import FONTS, PROJECT, TODAY

SCHOOL = PROJECT / "content" / "schools"
PHOTOS = {"dsl_photo": SCHOOL / "photos" / "sam-example.png", "deputy1_photo": SCHOOL / "photos" / "alex-sample.png",
          "logo": SCHOOL / "example-logo.png"}

# The example school (content/schools/example-school.yaml) as the form's boxes: fictional people, and numbers
# from Ofcom's ranges for drama.
EXAMPLE = {
    "name": "Example Community School (fictional)", "nation": "england", "checked_on": "2026-11-20",
    "dsl_name": "Sam Example", "dsl_role": "Deputy Headteacher", "dsl_location": "Room 12, main building",
    "dsl_phone": "0113 496 0101",
    "deputy1_name": "Alex Sample", "deputy1_role": "Head of Year 9", "deputy1_location": "Pastoral office",
    "deputy2_name": "Jo Placeholder", "deputy2_role": "Special Educational Needs Coordinator",
    "deputy2_location": "Learning support base",
    "council_name": "Exampleshire Council children's services", "council_phone": "0113 496 0000",
    "council_hours": "Monday to Friday, 9am to 5pm", "council_out_of_hours": "020 7946 0999",
}


@dataclass
class Live:
    url: str
    scratch: Path
    thread: threading.Thread
    server: uvicorn.Server

    def client(self, timeout: float = 120) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)


def start(scratch: Path, workers: int | None = None, queue: int | None = None, settings: Settings | None = None) -> Live:
    """Serve the app as ``generate.py serve`` does, on a free port, with 'today' fixed to the content's date."""
    settings = settings or Settings(PROJECT / "content", PROJECT / "layouts", FONTS,
                                    today=dt.date.fromisoformat(TODAY), scratch=scratch)
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, workers=workers, queue=queue), log_level="warning",
                            access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    return Live(f"http://127.0.0.1:{port}", scratch, thread, server)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start(tmp_path_factory.mktemp("web-scratch"))
    yield server
    server.stop()


def files_of(photos: dict[str, Path] | None = None) -> list[tuple[str, tuple[str, bytes, str]]]:
    photos = PHOTOS if photos is None else photos
    return [(name, (path.name, path.read_bytes(), "image/png")) for name, path in photos.items()]


def post(client: httpx.Client, path: str, data: dict, files: list | None = None) -> httpx.Response:
    """A multipart POST like a browser's (always multipart, even with no file chosen)."""
    files = files if files is not None else []
    if not files:
        files = [("logo", ("", b"", "application/octet-stream"))]  # an empty file box, as a browser sends it
    return client.post(path, data=data, files=files)


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def pdf_text_of(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def scratch_is_empty(live: Live) -> list[str]:
    return sorted(str(p.relative_to(live.scratch)) for p in live.scratch.rglob("*"))


def deleted_temp_fds() -> list[str]:
    """Files this process holds open that were deleted (a spooled upload): none may outlive its request.
    pytest holds some for capturing output, so compare with a count taken before."""
    out = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith("(deleted)") and not target.startswith(("/dev/", "/memfd:")):
            out.append(target)
    return out


# --- a real browser: Debian's Chromium, driven by Playwright (pytest-playwright's fixtures) --------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch /usr/bin/chromium, never a browser Playwright would download (it cannot be reached here)."""
    from ..test_web import CHROMIUM, _need_tools

    _need_tools()
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "en-GB", "accept_downloads": True,
            "viewport": {"width": 1280, "height": 1000}}
