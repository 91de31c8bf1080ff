"""Headless Chromium driven over the DevTools protocol, for tests and benchmarks.

The browser talks over a pipe (`--remote-debugging-pipe`: commands on fd 3, replies on fd 4),
so no port is opened and no websocket library is needed. The network is cut three ways: a
proxy that points at nothing, a host resolver that resolves nothing, and DevTools' offline
emulation; every request the page makes is still recorded so a test can assert that none
was meant for another machine.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--no-default-browser-check",
    # Cut the network: any connection would go to a proxy on the discard port of this
    # machine, and no host name resolves.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1400,900",
    "--remote-debugging-pipe",
)

# The same, but letting this machine's 127.0.0.1 through: for pages that come from a server
# a test starts on loopback (and nothing else).
LOOPBACK_FLAGS = tuple(
    f + ", EXCLUDE 127.0.0.1" if f.startswith("--host-resolver-rules=") else f for f in FLAGS
)

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome-error:", "devtools:")


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium process with a fresh profile."""

    def __init__(
        self,
        executable: str = "/usr/bin/chromium",
        *,
        timeout: float = 60.0,
        loopback: bool = False,
    ) -> None:
        self.timeout = timeout
        flags = LOOPBACK_FLAGS if loopback else FLAGS
        self._profile = tempfile.mkdtemp(prefix="pg-chromium-")
        to_browser_r, self._to_browser = _high_pipe()
        self._from_browser, from_browser_w = _high_pipe()

        def _wire_pipes() -> None:  # runs in the child before exec
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self._proc = subprocess.Popen(
            [executable, *flags, f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_wire_pipes,
            # Everything else Python opened is close-on-exec (PEP 446); only 3 and 4 go through.
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._lock = threading.Condition()
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ protocol
    def _read_loop(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    self._closed = True
                    self._lock.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self.events.append(message)
                    self._lock.notify_all()

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> Any:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._lock:
            while ident not in self._replies:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise BrowserError(f"no reply to {method} (browser closed or timed out)")
                self._lock.wait(left)
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, url: str) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        page.navigate(url)
        return page

    def close(self) -> None:
        try:
            if self._proc.poll() is None:
                with contextlib.suppress(BrowserError):
                    self.send("Browser.close")
                try:
                    self._proc.wait(10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait(10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                with contextlib.suppress(OSError):
                    os.close(fd)
            shutil.rmtree(self._profile, ignore_errors=True)


class Page:
    """One tab, with the network cut and every request recorded."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session
        self.send("Network.enable")
        self.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def _events(self, method: str) -> list[dict[str, Any]]:
        with self.browser._lock:
            return [
                e["params"]
                for e in self.browser.events
                if e.get("sessionId") == self.session and e.get("method") == method
            ]

    def navigate(self, url: str) -> None:
        before = len(self._events("Page.loadEventFired"))
        self.send("Page.navigate", {"url": url})
        self.wait_until(lambda: len(self._events("Page.loadEventFired")) > before, what="load")

    def wait_until(self, check: Any, *, what: str, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or self.browser.timeout)
        while not check():
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {what}; console: {self.console()}")
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression!r} raised {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float | None = None) -> Any:
        self.wait_until(lambda: bool(self.evaluate(expression)), what=expression, timeout=timeout)
        return self.evaluate(expression)

    def requests(self) -> list[str]:
        """Every URL the page asked for, local or not."""
        return [e["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests() if not u.startswith(LOCAL_SCHEMES)]

    def console(self) -> list[str]:
        out = []
        for e in self._events("Runtime.consoleAPICalled"):
            out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in e["args"]))
        for e in self._events("Runtime.exceptionThrown"):
            details = e["exceptionDetails"]
            out.append(str(details.get("exception", {}).get("description", details.get("text"))))
        return out

    def errors(self) -> list[str]:
        return [
            str(e["exceptionDetails"].get("exception", {}).get("description", e))
            for e in self._events("Runtime.exceptionThrown")
        ]

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered above 4, so wiring them to 3 and 4 cannot clobber them."""
    ends = []
    for fd in os.pipe():
        ends.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(fd)
    return ends[0], ends[1]


@contextmanager
def chromium(
    executable: str = "/usr/bin/chromium", *, loopback: bool = False
) -> Iterator[Chromium]:
    browser = Chromium(executable, loopback=loopback)
    try:
        yield browser
    finally:
        browser.close()
