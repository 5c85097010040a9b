"""QR matrices from ``qrcode``'s pure matrix builder (drawn as vectors by write_pdf)."""

from __future__ import annotations

import functools

import qrcode
import qrcode.constants

QUIET_MODULES = 4

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


@functools.lru_cache(maxsize=256)
def qr_matrix(payload: str, level: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules without border (cached: about 6 ms each to build)."""
    qr = qrcode.QRCode(error_correction=LEVELS[level], border=0, box_size=1)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return tuple(tuple(bool(v) for v in row) for row in qr.get_matrix())
