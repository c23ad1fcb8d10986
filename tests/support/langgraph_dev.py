"""`langgraph dev` as a real process for tests: offline, on a free port, always killed with its process group."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.embedded import free_port

#: The console script installed beside this interpreter (the venv may not be on PATH).
LANGGRAPH = Path(sys.executable).with_name("langgraph")
#: The repository root: `langgraph dev` resolves langgraph.json's "." and "./graph/..." against its cwd.
REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "langgraph.json"

# Not inherited: our own settings (the server must see only the test Redis), and whatever would make
# langgraph dev or the graph call out: LangSmith tracing and license metadata (LANGSMITH_API_KEY
# starts langgraph-api's metadata loop), Datadog metrics (LSD_DD_*), an LLM reader (OPENAI_*),
# Stripe, and langgraph-api's own backend and mount settings.
_NOT_INHERITED = (
    "ORKESTA_", "REDIS_URL", "OTEL_", "LANGSMITH_", "LANGCHAIN_", "LANGGRAPH_", "OPENAI_", "STRIPE_",
    "LSD_", "CUSTOM_LSD_", "DD_", "MOUNT_PREFIX", "REDIS_URI", "DATABASE_URI", "POSTGRES_URI",
)
OFFLINE_ENV = {
    "LANGSMITH_TRACING": "false",  # no runs sent to LangSmith, no org lookup for the Studio URL
    "LANGCHAIN_TRACING_V2": "false",
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",  # the CLI's usage ping
    "LANGGRAPH_NO_VERSION_CHECK": "true",  # langgraph-api's PyPI version/support check at start
    "LOG_COLOR": "false",  # a readable log when a test prints it
    "PYTHONUNBUFFERED": "1",
}



def dev_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_NOT_INHERITED)}
    return env | OFFLINE_ENV | extra


@dataclass
class DevServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


async def _wait_ready(server: DevServer, timeout_s: float) -> None:
    """Poll GET /ok until it answers 200; fail early if the process dies or moved to another port."""
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=2.0) as http:
        while True:
            code = server.process.poll()
            if code is not None:
                raise RuntimeError(f"langgraph dev exited with {code} before it was ready:\n{server.log_tail()}")
            if "is already in use, using port" in server.log_text():
                raise RuntimeError(f"langgraph dev moved off {server.url} (port taken):\n{server.log_tail()}")
            try:
                if (await http.get(f"{server.url}/ok")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"langgraph dev not ready on {server.url} after {timeout_s:.0f}s:\n"
                                   f"{server.log_tail()}")
            await asyncio.sleep(0.25)


def _stop(process: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    """SIGTERM the process group (graceful: the lifespans close), then SIGKILL whatever is left of it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout_s)
    with suppress(ProcessLookupError):  # the group outlives its leader while any member is alive
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout_s)


@asynccontextmanager
async def langgraph_dev(redis_url: str, log_dir: Path, *, timeout_s: float = 120.0) -> AsyncIterator[DevServer]:
    """`langgraph dev` on the repo's langgraph.json against `redis_url`; its log is printed if the block fails.

    `--no-reload`: other people edit the repo while tests run, and a hot reload would restart the
    server (and lose its in-memory threads) in the middle of a test.
    """
    port = free_port()
    log = log_dir / "langgraph-dev.log"
    args = [str(LANGGRAPH), "dev", "--port", str(port), "--host", "127.0.0.1", "--no-browser", "--no-reload",
            "--config", str(CONFIG)]
    with log.open("wb") as out:
        process = subprocess.Popen(args, cwd=REPO, env=dev_env(REDIS_URL=redis_url), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = DevServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        await _wait_ready(server, timeout_s)
        yield server
    except BaseException:
        print(f"--- langgraph dev log ({log}) ---\n{server.log_tail(400)}")
        raise
    finally:
        _stop(process)
