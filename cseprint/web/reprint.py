"""What will change on a school's posters: the reprint list for the web form.

A pack made by the form holds ``profile/printed.json``: what its files printed,
box by box (``changes.school_record``). When last year's pack is loaded, the
page compares that record with the posters the loaded answers make today
(composed, not rendered: ``build.planned_records``) and says, before anything
is downloaded, which products change and how. The record rides along in the
form as one hidden field, so the next pack holds its own reprint list
(``changes.md``, ``changes.json``) against what the school printed last.

Everything here reads bytes the browser sent: sizes are bounded before
anything is decoded, and ``changes.compare`` accepts any damaged record.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib

from .. import changes

PRINTED = "printed.json"  # inside the pack's profile folder
MAX_PRINTED_BYTES = 2_000_000  # a school's record is about 35 KB; a thousand deputies would not reach this


def record_bytes(built_manifest: dict, school_id: str) -> bytes:
    """The school's record as the pack keeps it (compact JSON, the same bytes for the same files)."""
    rec = changes.school_record(built_manifest, school_id)
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def read_record(data: bytes | None) -> dict | None:
    """A record read from a pack; None if it is missing, too large or not one."""
    if not data or len(data) > MAX_PRINTED_BYTES:
        return None
    try:
        rec = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return rec if isinstance(rec, dict) and isinstance(rec.get("files"), list) else None


def carry(rec: dict) -> str:
    """The record as the form's hidden field: compressed (about 12 KB), so every round trip stays light."""
    raw = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def carried(field: str | None) -> dict | None:
    """The record back from the hidden field; None for anything else (a forged field is only ignored)."""
    if not field:
        return None
    try:
        packed = base64.b64decode(field, validate=True)
        d = zlib.decompressobj()
        raw = d.decompress(packed, MAX_PRINTED_BYTES + 1)  # a small field cannot unpack into a huge one
    except (binascii.Error, ValueError, zlib.error):
        return None
    if len(raw) > MAX_PRINTED_BYTES or d.unconsumed_tail:
        return None
    return read_record(raw)


def finish_of(printed: dict, default: str) -> str:
    """The finishes the loaded pack was made in (office, print-shop or both), so that its posters are
    compared with the same ones made today, not reported as new in a finish the school never chose."""
    made = {f.get("finish") for f in printed.get("files", []) if isinstance(f, dict)}
    if {"office", "print-shop"} <= made:
        return "both"
    return next((m for m in ("office", "print-shop") if m in made), default)


def compared(printed: dict, planned: dict, school_id: str) -> dict:
    """The reprint list of what the answers make now (a build's manifest, or ``planned_records``)
    against what the pack printed."""
    return changes.what_will_change(printed, planned, school_id)


def said(report: dict) -> list[str]:
    """The list for the page: a sentence per product that changes, then the ones that do not."""
    if not report["reprint"] and not report["new"] and report["since"]:
        return ["Nothing on your posters, cards or leaflets changes: the ones you printed are still right.",
                *changes.in_words(report)]
    return changes.in_words(report)
