"""What keeps slow or greedy clients from locking `serve` (waitress) up for everyone else.

waitress closes a connection only after `channel_timeout` seconds of silence, so a client
sending one byte every ten seconds holds its connection forever, and a hundred such clients
took every one waitress allows (100): no one else got in. Here:
- a request must arrive whole (headers and body) within `request_timeout` seconds of the
  connection being ready for it; an idle keep-alive connection is closed after as long;
- one client address holds at most `per_client` connections; further ones are closed at once;
- the server holds at most `limit` connections (waitress stops accepting beyond).

`guard(server, ...)` turns a waitress TcpWSGIServer into one that does this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from .errors import HttpError

__all__ = ["Fairness", "guard"]


class _Channel(HTTPChannel):  # type: ignore[misc]
    """A connection that remembers since when it has waited for a complete request."""

    waiting_since = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiting_since = time.monotonic()

    def received(self, data: bytes) -> bool:
        queued = len(self.requests)
        done: bool = super().received(data)
        if len(self.requests) > queued:  # a request arrived whole: the next one's clock
            self.waiting_since = time.monotonic()
        return done

    def service(self) -> None:
        super().service()
        self.waiting_since = time.monotonic()  # the answer is sent: waiting again


class _Server(TcpWSGIServer):  # type: ignore[misc]
    channel_class = _Channel
    request_timeout = 10.0
    per_client = 32

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        host = addr[0] if isinstance(addr, tuple) else addr
        held = sum(
            1
            for ch in list(self.active_channels.values())
            if isinstance(ch.addr, tuple) and ch.addr[0] == host
        )
        if held >= self.per_client:
            conn.close()  # this client has enough connections open
            return
        self.set_socket_options(conn)
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            # being answered (the query's own limit applies), or its answer still being sent
            # (a large answer to a slow link; waitress's channel_timeout ends a stalled one)
            busy = channel.requests or getattr(channel, "total_outbufs_len", 0)
            if not busy and getattr(channel, "waiting_since", cutoff) < cutoff:
                channel.will_close = True
                self.pull_trigger()


def guard(server: Any, *, request_timeout: float, per_client: int) -> Any:
    """The waitress server, guarded (see the module's docstring)."""
    if not isinstance(server, TcpWSGIServer):
        return server  # a Unix socket or several listeners: left as waitress made them
    server.__class__ = type(
        "GuardedServer",
        (_Server,),
        {"request_timeout": request_timeout, "per_client": per_client},
    )
    return server


class Fairness:
    """Per-client limits on queries: at most `in_flight` queries of one client address
    waiting or running (more: 429 at once), and at most `running` of them running, so that
    one client's endless queries leave a worker free for everyone else."""

    def __init__(self, in_flight: int, running: int) -> None:
        self.in_flight = in_flight
        self.running = running
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._slots: dict[str, threading.Semaphore] = {}

    @contextmanager
    def turn(self, client: str, timeout: float) -> Iterator[None]:
        """Hold one of the client's running slots for the block (HttpError when it has too
        many queries in flight, 503 when no slot frees within `timeout`)."""
        with self._lock:
            if self._counts.get(client, 0) >= self.in_flight:
                raise HttpError(
                    "429 Too Many Requests",
                    f"at most {self.in_flight} queries at a time from one client",
                    [("Retry-After", "1")],
                )
            self._counts[client] = self._counts.get(client, 0) + 1
            slot = self._slots.setdefault(client, threading.Semaphore(self.running))
        try:
            if not slot.acquire(timeout=timeout):
                raise HttpError(
                    "503 Service Unavailable",
                    f"this client's earlier queries kept it waiting over {timeout:g} s",
                )
            try:
                yield
            finally:
                slot.release()
        finally:
            with self._lock:
                self._counts[client] -= 1
                if not self._counts[client]:
                    del self._counts[client], self._slots[client]
