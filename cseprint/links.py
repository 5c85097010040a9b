"""Ask each web address in the registry whether it still answers.

HEAD first (cheap), then GET if the server refuses HEAD; a short timeout and
at most one retry, so a slow site cannot hang the command. This is the only
part of the generator that uses the network, and only when asked
(``generate.py check-links``); builds never do.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

USER_AGENT = "cseprint-check-links/1 (safeguarding materials generator)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None
    final_url: str | None
    detail: str
    reached: bool = True  # False: no server answered at all (no name lookup, no connection, no reply in time)


def check_url(url: str, timeout: float = 5.0, retries: int = 1, context: ssl.SSLContext | None = None) -> LinkResult:
    last = "no answer"
    for _attempt in range(retries + 1):
        for method in ("HEAD", "GET"):
            req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
                    final = resp.geturl()
                    moved = f"; redirected to {final}" if final != url else ""
                    return LinkResult(url, True, resp.status, final, f"{method} {resp.status}{moved}")
            except urllib.error.HTTPError as exc:
                last = f"{method} answered {exc.code} {exc.reason}"
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue  # some servers refuse HEAD; ask with GET
                if exc.code < 500:
                    return LinkResult(url, False, exc.code, None, last)
                break
            except (urllib.error.URLError, TimeoutError, ConnectionError, ssl.SSLError) as exc:
                reason = getattr(exc, "reason", exc)
                last = f"{method} failed: {reason}"
                break
    return LinkResult(url, False, None, None, last, reached=last.startswith(("HEAD answered", "GET answered")))


OFFLINE_AFTER = 3  # addresses in a row, from the first, that no server answered


def check_all(urls: Iterable[str], check: Callable[[str], LinkResult] = check_url) -> tuple[list[LinkResult], bool]:
    """Check each address in turn; (results, offline).

    ``offline`` is True when the first ``OFFLINE_AFTER`` addresses (or all,
    if there are fewer) got no answer from any server: then the computer has
    no connection, checking stops, and the caller says so once instead of
    reporting every address as broken.
    """
    urls = list(urls)
    results: list[LinkResult] = []
    for url in urls:
        r = check(url)
        results.append(r)
        if len(results) == min(OFFLINE_AFTER, len(urls)) and not any(x.reached for x in results):
            return results, True
    return results, False
