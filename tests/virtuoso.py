"""A throw-away Virtuoso server for tests: a temp database folder, a generated virtuoso.ini on
free ports, bound to 127.0.0.1, stopped (and its folder removed) when the test session ends.

A fresh database has the account dba/dba; the SPARQL endpoint is /sparql, the authenticated
one (updates) /sparql-auth and the Graph Store protocol /sparql-graph-crud-auth.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import stop_process_group

INI = """\
[Database]
DatabaseFile    = {db}/virtuoso.db
ErrorLogFile    = {db}/virtuoso.log
LockFile        = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
Striping        = 0
TempStorage     = TempDatabase

[TempDatabase]
DatabaseFile    = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 5
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {db}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 1
AsyncQueueMaxThreads = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
MaxClientConnections = 5
ServerThreads        = 5
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    folder: Path

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_virtuoso(binary: str, *, startup_timeout: float = 120.0) -> Iterator[Virtuoso]:
    with tempfile.TemporaryDirectory(prefix="pg-virtuoso-") as tmp:
        folder = Path(tmp)
        sql_port, http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(INI.format(db=folder, sql_port=sql_port, http_port=http_port))
        # +foreground keeps it our child so that we can stop it; +wait is for daemon mode only.
        proc = subprocess.Popen(
            [binary, "+configfile", str(ini), "+foreground"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        server = Virtuoso(f"http://127.0.0.1:{http_port}", folder)
        try:
            deadline = time.monotonic() + startup_timeout
            while not _ready(server.sparql):
                if proc.poll() is not None:
                    raise RuntimeError(f"virtuoso-t exited ({proc.returncode}):\n{server.log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"virtuoso-t did not start in time:\n{server.log()}")
                time.sleep(0.5)
            yield server
        finally:
            stop_process_group(proc, timeout=30)
