"""Helpers shared by the tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "data", "documents")
SEED_GOLD = os.path.join(ROOT, "tests", "data", "gold", "seeds.yaml")
# The wider corpus lives beside the checkout, never in it.
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def _required() -> bool:
    """In CI (.ci/run sets POLICYGRAPH_REQUIRE_SYSTEM; CI runners set CI=true) a missing
    component is a failure, never a skip."""
    return bool(os.environ.get("POLICYGRAPH_REQUIRE_SYSTEM")) or os.environ.get("CI") == "true"


INSTALL = {
    "virtuoso-t": "apt-get install virtuoso-opensource",
    "chromium": "apt-get install chromium",
    "rapper": "apt-get install raptor2-utils",
}


def require_system(command: str) -> str:
    """Path of a system command, or skip naming the install command.

    CI sets POLICYGRAPH_REQUIRE_SYSTEM=1 so that a missing component fails instead.
    """
    path = shutil.which(command)
    if path:
        return path
    message = f"{command} not found; install it with `{INSTALL.get(command, command)}`"
    if _required():
        pytest.fail(message)
    pytest.skip(message)


def require_file(path: str, package: str) -> str:
    """A file a system package provides (a font), or skip naming the install command."""
    if os.path.exists(path):
        return path
    message = f"{path} not found; install it with `apt-get install {package}`"
    if _required():
        pytest.fail(message)
    pytest.skip(message)


def require_shared(*parts: str) -> str:
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        message = f"{path} not found: the shared corpus must sit beside the checkout"
        if _required():
            pytest.fail(message)
        pytest.skip(message)
    return path


def stop_process_group(proc: subprocess.Popen[str], timeout: float = 10) -> None:
    """Stop a server started with start_new_session=True: SIGTERM to its whole group, then
    SIGKILL if it does not go within `timeout` seconds."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
