"""Rendering shared by the web UI, the CLI and the reports: charts, number and language formatting,
plain-text tables and report building."""
