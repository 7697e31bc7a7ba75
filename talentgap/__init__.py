"""talentgap: open talent supply-demand forecasting for Korea's strategic industries.

The code lives in four layers, each a top-level folder of the repository, installed as subpackages:
``talentgap.seeds`` (published figures as data), ``talentgap.data`` (the versioned store),
``talentgap.models`` (forecasting and skills) and ``talentgap.api`` (CLI, HTTP API, web UI, reports).
"""

__version__ = "0.1.0"
