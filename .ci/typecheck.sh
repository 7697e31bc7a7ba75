#!/usr/bin/env bash
# Type-check the packages with mypy (settings in pyproject.toml, [tool.mypy]).
# The source folders map onto talentgap.* through pyproject's package-dir (api/ is talentgap.api, ...),
# which mypy cannot follow, so the check runs over a tree of links laid out as the installed package.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/talentgap"
for f in "$root"/talentgap/*; do ln -s "$f" "$tree/talentgap/"; done
for p in api models data seeds; do ln -s "$root/$p" "$tree/talentgap/$p"; done
cd "$tree"
"$python" -m mypy --config-file "$root/pyproject.toml" -p talentgap
