"""The refit benchmark's bulk seed: a database the real server reads, the same for the
same seed, with a purchase history the refit's models recover."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from operator_app.analytics.scoring import fit_clv_model
from operator_app.server.db import Database
from operator_app.server.refit import run_refit
from operator_app.server.refit_history import read_order_history
from operator_app.server.schema import head_revision, schema_state
from tests.benchmarks.refit_seed import BGNBD, GAMMA_GAMMA, seed_refit_db

ANCHOR = date(2026, 6, 30)


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return [
            *connection.execute("SELECT * FROM customers ORDER BY id"),
            *connection.execute("SELECT * FROM orders ORDER BY id"),
            *connection.execute("SELECT * FROM order_lines ORDER BY id"),
        ]


def test_same_seed_same_rows_and_a_sound_schema(tmp_path: Path) -> None:
    first, second, other = (tmp_path / f"{n}.sqlite3" for n in ("a", "b", "c"))
    seed_refit_db(first, 500, seed=7, anchor=ANCHOR)
    seed_refit_db(second, 500, seed=7, anchor=ANCHOR)
    seed_refit_db(other, 500, seed=8, anchor=ANCHOR)
    assert _dump(first) == _dump(second) != _dump(other)
    db = Database(f"sqlite:///{first}")
    try:
        assert schema_state(db).revision == head_revision()
    finally:
        db.dispose()
    with sqlite3.connect(first) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # every order's lines add up to the order's amount
        assert (
            connection.execute(
                "SELECT count(*) FROM orders o WHERE amount != "
                "(SELECT sum(amount) FROM order_lines l WHERE l.order_id = o.id)"
            ).fetchone()[0]
            == 0
        )
        # the secondary indexes dropped for the load are back
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        rebuilt = {"ix_orders_customer_ts", "ix_order_lines_order_id", "ix_customers_name_key"}
        assert rebuilt <= names


def test_the_models_recover_the_simulated_shop(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    seed_refit_db(path, 8000, seed=3, anchor=ANCHOR)
    db = Database(f"sqlite:///{path}")
    try:
        now = datetime(2026, 7, 1, tzinfo=UTC)
        with db.reading() as session:
            history = read_order_history(session.connection(), now, "weeks")
        assert history.rfm is not None
        model = fit_clv_model(history.rfm)
        fitted = {
            "r": model.bgnbd.r,
            "alpha": model.bgnbd.alpha,
            "a": model.bgnbd.a,
            "b": model.bgnbd.b,
            "p": model.gamma_gamma.p,
            "q": model.gamma_gamma.q,
            "v": model.gamma_gamma.v,
        }
        for name, truth in {**BGNBD, **GAMMA_GAMMA}.items():
            assert fitted[name] == pytest.approx(truth, rel=0.35), name
        report = run_refit(db, clock=lambda: now)
        assert report.model is not None and report.changed == report.customers == 8000
    finally:
        db.dispose()
