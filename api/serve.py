"""`orkesta serve --workers N`: N server processes, each accepting on its own listening socket.

uvicorn's own `--workers` shares one listening socket among its processes, and asyncio
accepts up to the whole backlog each time the socket wakes it: under a burst of new
connections (1,000 conversations opening at once in bench/api.py) one process took most of
them while the other idled, and the run took 9-10 s instead of 5.6 s. With SO_REUSEPORT
each process binds its own socket to the same port and the kernel spreads connections
evenly. uvicorn cannot bind such a socket per process, so this small supervisor does:
it starts the processes, restarts one that dies, and stops them all on SIGINT/SIGTERM.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from core.embedded import die_with_parent

log = logging.getLogger("orkesta.serve")

#: How long a stopping process may finish its requests before it is killed.
STOP_GRACE_S = 30


def reuse_port_supported() -> bool:
    """Whether the kernel spreads connections over SO_REUSEPORT sockets (Linux does; macOS does not)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:  # pragma: no cover - a child process
    die_with_parent()  # a supervisor killed with SIGKILL leaves no server behind
    try:
        sock = _listening_socket(host, port)
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", host, port, exc)
        raise SystemExit(STARTUP_FAILURE) from None
    config = uvicorn.Config("api.asgi:app", host=host, port=port, **options)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


def serve_processes(host: str, port: int, workers: int, **options: Any) -> int:
    """Run `api.asgi:app` in `workers` processes until SIGINT/SIGTERM; 0, or 1 if one failed to start."""
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    failed = False

    def start(index: int) -> BaseProcess:
        process = context.Process(target=_worker, args=(host, port, options), name=f"orkesta-api-{index}")
        process.start()
        return process

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start(i) for i in range(workers)]
    try:
        while not stop.wait(0.5):
            for index, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    log.error("server process %s failed to start; stopping", process.name)
                    failed = True
                    stop.set()
                    break
                log.warning("server process %s exited with %s; starting another", process.name, process.exitcode)
                processes[index] = start(index)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in processes:
            process.join(STOP_GRACE_S)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0
