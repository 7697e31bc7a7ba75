"""The values a metric can take, by its unit: the rule every observation is checked against when it
is read (seed files and uploads alike), before anything is stored.

- A count or amount (persons, seats, programmes, firms, postings, applicants, jobs, won) cannot be
  negative, unless the metric is a change or a balance (:data:`SIGNED`: a projected change, a net
  inflow, a seat increase, a projected shortage that may turn into a surplus, growth demand).
- A figure in percent (``%``) is a share or a rate of a whole: between 0 and 100 (seeds/README.md:
  rates and shares are stated in percent, so 5 % is ``5``, never ``0.05``). A signed metric in percent
  (a growth rate, an employment outlook) cannot fall below −100 % (a fall of more than everything).
"""

from __future__ import annotations

from talentgap.i18n import Message, msg

#: Metrics that are changes or balances and may be negative.
SIGNED = frozenset({"projection_change", "net_inflow", "capacity_increase", "projected_shortage",
                    "expansion_demand", "employment_outlook", "stock_growth_rate"})
PERCENT = "%"


def domain_problem(metric: str, unit: str, value: float) -> Message | None:
    """Why ``value`` is not a value of ``metric`` in ``unit`` (a message of the errors catalogue);
    ``None`` when it is one."""
    if unit == PERCENT:
        if metric in SIGNED:
            return msg("validate.percent_below_minus_100", metric=metric) if value < -100 else None
        return msg("validate.percent_out_of_range", metric=metric) if not 0 <= value <= 100 else None
    if metric not in SIGNED and value < 0:
        return msg("validate.negative", metric=metric, unit=unit)
    return None
