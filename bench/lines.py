"""Lines benchmark: the CPU a turn takes to read, match and quote one order line vs three, side by side.

    .venv/bin/python bench/lines.py [--conversations 200] [--rounds 3]

One embedded Redis (AOF on), the seeded catalog and the Redis checkpointer, as the service runs.
Each conversation is one first message, read by the rules, every line matched to a product and
the draft quoted: "mándame 10 coples pvc de 3/4" against "mándame 10 coples pvc de 3/4, 8 tees pvc
de 3/4 y 4 tubos pvc hidráulico de 3/4". Conversations run one at a time, so the process's CPU time
(`time.process_time`) per turn is the turn's own; the runs alternate which goes first and each
figure is its total CPU over its total turns. The goal: three lines within 2x the CPU of one.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.services import open_services  # noqa: E402
from core.embedded import EmbeddedRedis  # noqa: E402
from core.settings import Settings  # noqa: E402
from graph.runner import ConversationRunner  # noqa: E402
from tools.seed import seed_demo  # noqa: E402

TENANT = "bench"
MESSAGES = {
    1: "mándame 10 coples pvc de 3/4",
    3: "mándame 10 coples pvc de 3/4, 8 tees pvc de 3/4 y 4 tubos pvc hidráulico de 3/4",
}


async def measure(runner: ConversationRunner, lines: int, conversations: int, label: str) -> tuple[float, int]:
    """CPU seconds and turns for `conversations` first messages of `lines` lines."""
    gc.collect()
    cpu = time.process_time()
    for i in range(conversations):
        result = await runner.run_turn(tenant=TENANT, conversation_id=f"{label}-{lines}-{i}", customer_id="CUST-0003",
                                       text=MESSAGES[lines])
        if len(result.state.get("cart") or []) != lines or result.state.get("pending") != "awaiting_confirmation":
            raise RuntimeError(f"{lines} lines were not quoted: {result.reply!r}")
    return time.process_time() - cpu, conversations


async def main_async(url: str, conversations: int, rounds: int) -> None:
    settings = Settings(_env_file=None, REDIS_URL=url)  # type: ignore[call-arg]
    async with open_services(settings, with_graph=True) as services:
        await seed_demo(services.redis, TENANT)
        runner = services.conversations()
        for lines in MESSAGES:
            await measure(runner, lines, 5, "warm")
        totals = {lines: [0.0, 0] for lines in MESSAGES}
        for round_ in range(rounds):
            for lines in (MESSAGES if round_ % 2 == 0 else reversed(list(MESSAGES))):
                cpu, turns = await measure(runner, lines, conversations, f"r{round_}")
                totals[lines][0] += cpu
                totals[lines][1] += int(turns)
        per_turn = {lines: cpu / turns * 1000 for lines, (cpu, turns) in totals.items()}
        print(f"{'lines':>5} {'CPU ms/turn':>12} {'turns':>6}")
        for lines, ms in per_turn.items():
            print(f"{lines:>5} {ms:>12.2f} {totals[lines][1]:>6}")
        print(f"ratio 3 lines / 1 line: {per_turn[3] / per_turn[1]:.2f} (goal: at most 2.00)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=200, help="first messages per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each message, alternating which goes first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orkesta-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp))
        url = server.start()
        try:
            print(f"machine: {os.cpu_count()} cores")
            asyncio.run(main_async(url, args.conversations, args.rounds))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
