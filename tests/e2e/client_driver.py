"""A client process for crash tests: sync, write notes, sync again (to be killed anywhere).

    python -m tests.e2e.client_driver DATA_DIR SERVER USER --round R --notes N

The password comes from ``$OPERATOR_APP_PASSWORD``. Each note's body is
``kill-R-i``, so the test can count every note on the server. Progress goes to stdout
as lines ``pull N`` / ``note I`` / ``push N`` the moment each step is committed, so the
test can aim its kill at a phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import uuid
from pathlib import Path

from operator_app.api import ApiClient, Session
from operator_app.cache.db import open_cache
from operator_app.cache.outbox import add_note
from operator_app.sync import SyncEngine, SyncProgress


def report(event: object) -> None:
    if isinstance(event, SyncProgress):
        print(f"{event.phase} {event.done}", flush=True)


async def main(args: argparse.Namespace) -> None:
    engine = open_cache(Path(args.data_dir) / "cache.sqlite3")
    async with ApiClient(args.server, retry_delay=0.05) as api:
        session = Session(api, args.user)
        if not session.resume():
            await session.sign_in(os.environ["OPERATOR_APP_PASSWORD"])
        sync = SyncEngine(
            engine, session, listen_events=False, page_size=args.page_size, push_batch=5
        )
        sync.bus.subscribe(report)
        try:
            await sync.sync_until_idle()
            with engine.connect() as conn:
                customers = [r[0] for r in conn.exec_driver_sql("SELECT id FROM customers")]
            rng = random.Random(args.round)
            for i in range(args.notes):
                customer = rng.choice(customers)
                await sync.db.run(
                    add_note, engine, uuid.UUID(bytes=customer), f"kill-{args.round}-{i}", "op"
                )
                print(f"note {i}", flush=True)
            await sync.sync_until_idle()
        finally:
            await sync.aclose()
            engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("server")
    parser.add_argument("user")
    parser.add_argument("--round", type=int, default=0)
    parser.add_argument("--notes", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=50)
    asyncio.run(main(parser.parse_args()))
