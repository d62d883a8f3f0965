"""``operator-app-server analytics refit``: run the refit once and say what it did."""

from __future__ import annotations

import sys

from operator_app.server.db import Database
from operator_app.server.refit import RefitOptions, RefitReport, run_refit


def describe(report: RefitReport) -> list[str]:
    """The report as lines for people."""
    lines = [
        f"refit done in {report.timings.get('total', 0.0):.1f} s: {report.customers:,} "
        f"customers, {report.buyers:,} with purchases, {report.changed:,} updated "
        f"(the others did not change)",
    ]
    model = report.model
    if model is not None:
        b, g = model.bgnbd, model.gamma_gamma
        lines.append(
            f"model: BG/NBD r={b.r:.4g} alpha={b.alpha:.4g} a={b.a:.4g} b={b.b:.4g} "
            f"({model.unit}); Gamma-Gamma p={g.p:.4g} q={g.q:.4g} v={g.v:.4g}; "
            f"horizon {model.horizon_months} months, discount {model.discount_rate:g}/month"
        )
    lines.append("upsell statistics " + ("updated" if report.upsell_stats_changed else "unchanged"))
    return lines


def refit_command(db: Database, *, horizon_months: int, discount_rate: float) -> int:
    """Exit status 0 when the predictions were refreshed, 1 when only historical CLV
    could be (too little history to fit the models)."""
    options = RefitOptions(horizon_months=horizon_months, discount_rate=discount_rate)
    report = run_refit(db, options=options, trigger="command")
    for line in describe(report):
        print(line)
    if report.model_error:
        print(f"operator-app-server: warning: {report.model_error}", file=sys.stderr)
        return 1
    return 0
