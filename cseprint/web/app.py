"""The web app (``python generate.py serve``): a form for one school, and its pack as a zip.

A sibling of ``cli.py``: both call the same build (``build.build_files`` and
``build.pack_zip``); this module only reads requests, queues them, and shows
what came back. It never composes, checks, renders or verifies a document
itself, never prints or exits, never writes into an output folder, and never
opens a path it was sent.

Routes:
  GET  /          the form (accessible, works without script)
  POST /build     the school's pack as a zip attachment; 400 with the form and each problem beside its box
  POST /preview   a PNG of the A4 "who to tell" poster (the script's live preview)
  POST /edit      add or remove a deputy's boxes without script
  POST /load      fill the form in from a saved profile (YAML) or last year's pack (zip)

Limits: a request body over 25 MB, or one image over 8 MB, gets 413; builds run
in a process pool of at most one worker per core, and beyond a short queue the
answer is 503 "busy, try again".
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..schools import MAX_DEPUTIES, MAX_IMAGE_BYTES
from ..spreadsheet import DEPUTY_RE
from . import form as F
from .jobs import Job, Reply, Settings, init_worker, run, warm

log = logging.getLogger("cseprint.web")

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 25_000_000
# An image the form carries back (base64 in a hidden box) is a cleaned one, at most 600 pixels a side:
# far under this; the whole body stays under MAX_BODY_BYTES anyway.
MAX_FIELD_BYTES = MAX_IMAGE_BYTES * 4 // 3 + 4
MAX_FILES = len(F.IMAGE_FIELDS) + 1
MAX_FIELDS = 3 * len(F.FIELDS) + 10
QUEUE_PER_WORKER = 4  # waiting builds per worker before "busy": about 4 builds' time, a few seconds
TASKS_PER_WORKER = 200  # a worker is replaced after this many jobs: no memory of earlier schools builds up

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class Busy(Exception):
    """Every worker is building and the queue is full."""


class Pool:
    """Worker processes, at most one per core, with a short queue in front of them.

    ``slot()`` is taken before a request's body is read, so a crowd of large
    uploads is turned away (503) before it fills the memory.
    """

    def __init__(self, settings: Settings, workers: int | None = None, queue: int | None = None):
        cores = os.cpu_count() or 1
        self.settings = settings
        self.workers = max(1, min(workers or cores, cores))
        self.capacity = self.workers + (self.workers * QUEUE_PER_WORKER if queue is None else max(0, queue))
        self.pending = 0
        self.executor = self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, never a fork of the server with its sockets and event loop
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"), initializer=init_worker,
                                   initargs=(self.settings,), max_tasks_per_child=TASKS_PER_WORKER)

    async def start(self) -> None:
        """Start every worker (each warms up in its initializer) before the first request is taken."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self.executor, warm) for _ in range(self.workers)))

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    @contextlib.contextmanager
    def slot(self):
        if self.pending >= self.capacity:
            raise Busy
        self.pending += 1
        try:
            yield
        finally:
            self.pending -= 1

    async def run(self, job: Job) -> Reply:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, run, self.settings, job)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh for the next request
            log.error("a build worker died; starting new workers")
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._executor()
            raise


# --- pure ASGI middleware: headers on every response, and the body limit ------------------------------

class SecurityHeaders:
    """CSP (no inline script), nosniff, no referrer, no framing; no caching of anything personal."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(HEADERS)]
                headers += HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a request body over ``limit`` bytes, whether it says its length or streams (chunked)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await drain(receive, self.limit)
            return await too_large(scope, receive, send)
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request" and seen <= self.limit:
                seen += len(message.get("body", b""))
                if seen > self.limit:  # raised once; the handler then drains the rest through here
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await drain(receive, self.limit)
            await too_large(scope, receive, send)


async def drain(receive: Receive, limit: int) -> None:
    """Read and drop what is left of a body (up to four times the limit), so the client gets our answer
    rather than a connection reset halfway through its upload."""
    seen = 0
    while seen <= 4 * limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    await too_large_page()(scope, receive, send)


async def body_too_large(request: Request, exc: Exception) -> Response:
    """A streamed (chunked) body went past the limit while the form was being read."""
    await drain(request.receive, MAX_BODY_BYTES)
    return too_large_page()


def too_large_page() -> HTMLResponse:
    page = PAGES.get_template("message.html").render(
        title="Too much to send at once", status=413,
        lines=[f"Everything sent with the form adds up to more than {MAX_BODY_BYTES // 1_000_000} MB, the limit.",
               f"Each photo can be up to {MAX_IMAGE_BYTES // 1_000_000} MB, but a few hundred kilobytes is plenty "
               "for a poster: choose smaller photos, or send the form with fewer photos at a time.",
               "Nothing you sent was kept."])
    return HTMLResponse(page, status_code=413, headers={"connection": "close"})


# --- pages ------------------------------------------------------------------------------------------

PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                           undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


PAGES.filters["b64"] = b64


def form_page(entry: F.Entry, shown: list[F.Shown] | None = None, status: int = 200, notice: str | None = None,
              load_problems: list[F.Shown] | None = None, changes: list[str] | None = None,
              printed: str = "") -> HTMLResponse:
    shown = shown or []
    by_field: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for s in shown:
        if s.field:
            (notes if s.warning else by_field).setdefault(s.field, []).append(s.message)
    summary = []
    for s in [*(load_problems or []), *(s for s in shown if not s.warning)]:
        target = s.field if s.field in F.FIELDS else ("profile" if s.field == "profile" else None)
        summary.append({"href": f"#{target}" if target else None, "label": label_for(target), "message": s.message})
    page = PAGES.get_template("form.html").render(
        entry=entry, errors=by_field, notes=notes, summary=summary, notice=notice, fields=F.FIELDS,
        school_fields=F.school_fields(), lead_fields=F.person_fields("dsl"), council_fields=F.council_fields(),
        person_fields=F.person_fields, finishes=F.FINISHES, max_deputies=MAX_DEPUTIES,
        load_errors=[s.message for s in (load_problems or [])], changes=changes, printed=printed,
        title=("Error: " if summary else "") + "Make your school's safeguarding posters")
    return HTMLResponse(page, status_code=status)


def label_for(name: str | None) -> str | None:
    """The box's label with whose box it is ("Deputy 2: Phone number"), for the error summary."""
    if name is None:
        return None
    if name == "profile":
        return "Saved profile"
    fld = F.FIELDS[name]
    if name.startswith("dsl_"):
        return f"Safeguarding lead, {fld.label.lower()}"
    if m := DEPUTY_RE.fullmatch(name):
        return f"Deputy {m.group(1)}, {fld.label.lower()}"
    return fld.label


def message_page(title: str, lines: list[str], status: int, headers: dict | None = None) -> HTMLResponse:
    page = PAGES.get_template("message.html").render(title=title, lines=lines, status=status)
    return HTMLResponse(page, status_code=status, headers=headers)


BUSY_LINES = ["The generator is making other schools' packs and its queue is full.",
              "Nothing you sent was kept. Go back to the form (your entries are still there in most browsers) "
              "and press the button again in a minute."]


# --- handlers ---------------------------------------------------------------------------------------

async def read_job(request: Request, action: str) -> Job:
    """The request's form as a Job: text as sent, files as bytes (those over 8 MB left unread)."""
    job = Job(action)
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES) as form:
        names = list(form.keys())
        job.deputies = F.deputies_shown(names)
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if name == "profile" and action == "load":
                    job.profile = await value.read(MAX_BODY_BYTES)
                    job.profile_name = os.path.basename(value.filename or "profile")[:100] or "profile"
                elif name in F.IMAGE_FIELDS and value.filename:
                    if value.size is not None and value.size > MAX_IMAGE_BYTES:
                        job.oversize[name] = value.size
                    else:
                        data = await value.read(MAX_IMAGE_BYTES + 1)
                        if len(data) > MAX_IMAGE_BYTES:
                            job.oversize[name] = len(data)
                        elif data:
                            job.uploads[name] = data
            elif name in F.TEXT_FIELDS:
                job.values[name] = value
            elif name.endswith("_kept") and name.removesuffix("_kept") in F.IMAGE_FIELDS:
                job.kept[name.removesuffix("_kept")] = value
            elif name == "finish":
                job.finish = value
            elif name == "edit":
                job.edit = value
            elif name == "printed":
                job.printed = value
        for name in names:
            if name.endswith("_remove") and name.removesuffix("_remove") in F.IMAGE_FIELDS:
                job.kept.pop(name.removesuffix("_remove"), None)
    return job


async def submit(request: Request, action: str) -> Response:
    pool: Pool = request.app.state.pool
    try:
        with pool.slot():
            try:
                job = await read_job(request, action)
            except HTTPException as exc:  # the multipart parser's limits (too many fields or files)
                return message_page("The form could not be read", [str(exc.detail), "Go back and try again."], 400)
            try:
                reply = await pool.run(job)
            except BrokenProcessPool:
                return message_page("Something went wrong", ["A build stopped unexpectedly; nothing you sent was "
                                                             "kept. Please try again."], 500)
    except Busy:
        await drain(request.receive, MAX_BODY_BYTES)
        if action == "preview":
            return JSONResponse({"message": "Busy, try again in a minute."}, status_code=503,
                                headers={"retry-after": "30"})
        return message_page("Busy, try again", BUSY_LINES, 503, headers={"retry-after": "30"})
    log.info("%s: %s in %.2f s", action, reply.status, reply.seconds)
    if reply.body is not None:
        headers = {}
        if reply.filename:
            headers["content-disposition"] = f'attachment; filename="{reply.filename}"'
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)
    if action == "preview":
        return JSONResponse({"problems": [{"field": s.field, "label": label_for(s.field if s.field in F.FIELDS
                                                                                 else None),
                                           "message": s.message} for s in reply.shown]},
                            status_code=reply.status)
    if action == "load" and reply.status != 200 and not any(s.field in F.FIELDS for s in reply.shown):
        return form_page(reply.entry, status=reply.status, load_problems=reply.shown)
    return form_page(reply.entry, reply.shown, reply.status, reply.notice, changes=reply.changes,
                     printed=reply.printed)


async def home(request: Request) -> Response:
    return form_page(F.Entry())


async def to_form(request: Request) -> Response:
    """A bookmark or a reload of /build (where the answer to a form was shown) goes back to the form."""
    return RedirectResponse("/", status_code=303)


async def build(request: Request) -> Response:
    return await submit(request, "build")


async def preview(request: Request) -> Response:
    return await submit(request, "preview")


async def edit(request: Request) -> Response:
    return await submit(request, "edit")


async def load(request: Request) -> Response:
    return await submit(request, "load")


def create_app(settings: Settings, workers: int | None = None, queue: int | None = None) -> ASGIApp:
    """The ASGI application (uvicorn serves it; tests run it the same way on a free port)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = Pool(settings, workers, queue)
        app.state.pool = pool
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    app = Starlette(routes=[
        Route("/", home, methods=["GET"]),
        Route("/build", build, methods=["POST"]),
        Route("/preview", preview, methods=["POST"]),
        Route("/edit", edit, methods=["POST"]),
        Route("/load", load, methods=["POST"]),
        *(Route(path, to_form, methods=["GET"]) for path in ("/build", "/preview", "/edit", "/load")),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ], lifespan=lifespan, exception_handlers={BodyTooLarge: body_too_large})
    return SecurityHeaders(BodyLimit(app))
