"""Waiting for a server process the test started: until its URL answers 200, or it died."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


def wait_until_ok(url: str, process: subprocess.Popen[bytes], log: Path, *, timeout_s: float = 60) -> None:
    """Poll `url` until 200; raise with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} never answered (exit code {process.poll()}): {log.read_text()[-2000:]}")
        time.sleep(0.05)
