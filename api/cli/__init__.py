"""The ``talentgap`` command line: one module per command group, assembled here. Thin: parse, call
:mod:`talentgap.api.service`, format.

Exit codes: 0 success, 2 bad input (the message names the argument and value), 1 internal failure.
"""

from __future__ import annotations

import os

# The models fit many tiny matrices: BLAS threads only add contention (set before numpy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sys  # noqa: E402

import typer  # noqa: E402

from . import backcast, data, forecast, keys, reconcile, report, scenario, schedule, sector, series, serve, skills  # noqa: E402

app = typer.Typer(help="Talent supply-demand forecasts for Korea's strategic industries.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
app.command()(serve.serve)
app.command()(forecast.forecast)
app.command()(forecast.backtest)
app.command()(backcast.backcast)
app.command()(skills.skills)
app.command()(skills.gap)
app.command()(report.report)
app.command()(reconcile.reconcile)
app.add_typer(data.app, name="data")
app.add_typer(sector.app, name="sector")
app.add_typer(series.app, name="series")
app.add_typer(scenario.app, name="scenario")
app.add_typer(skills.program_app, name="program")
app.add_typer(schedule.app, name="schedule")
app.add_typer(keys.app, name="keys")


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
