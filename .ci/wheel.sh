#!/usr/bin/env bash
# CI: the package as users get it. Build the wheel, install it (not editable) into a fresh venv outside
# the source tree, serve a new SQLite database on a free port, ask for health and one forecast over HTTP,
# run one CLI forecast, stop the server. Any failure stops CI with the server's log on standard error.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "wheel check FAILED: $*" >&2
  [ -f "$work/serve.log" ] && { echo "--- talentgap serve log ---" >&2; cat "$work/serve.log" >&2; }
  exit 1
}

python3 -m venv "$work/venv"
py="$work/venv/bin/python"
tracked() {  # the source files (committed or new, not ignored) under the given folders that exist now
  (cd "$src" && git ls-files --cached --others --exclude-standard "$@" | while IFS= read -r f; do
    if [ -f "$f" ]; then echo "$f"; fi
  done)
}
# built from a copy of the source files: no build/ left in the source tree, no stale modules from one
mkdir "$work/src"
tracked | (cd "$src" && tar -cf - -T -) | tar -xf - -C "$work/src"
"$py" -m pip wheel -q --no-deps -w "$work/dist" "$work/src" || fail "building the wheel"
wheel="$(ls "$work"/dist/talentgap-*.whl)"
# every file the packages hold in git (code, templates, static, catalogues, migrations, seed data) is in it
tracked talentgap seeds data models api >"$work/files.txt"
"$py" - "$wheel" "$work/files.txt" <<'EOF' || fail "files missing from the wheel"
import sys, zipfile
layers = {"talentgap": "talentgap", "seeds": "talentgap/seeds", "data": "talentgap/data",
          "models": "talentgap/models", "api": "talentgap/api"}
inside = set(zipfile.ZipFile(sys.argv[1]).namelist())
missing = []
for line in open(sys.argv[2]):
    top, _, rest = line.strip().partition("/")
    if rest and f"{layers[top]}/{rest}" not in inside:
        missing.append(line.strip())
if missing:
    sys.exit("not in the wheel: " + ", ".join(missing))
EOF
"$py" -m pip install -q "$wheel" || fail "installing $wheel"
echo "wheel: installed $(basename "$wheel")"

# run from an empty directory, so nothing is imported from the source tree
cd "$work"
export TALENTGAP_DATABASE_URL="sqlite:///$work/fresh.db"
unset PYTHONPATH
"$py" -c "import talentgap, sys; p = talentgap.__file__; sys.exit(0 if '$work/venv' in p else f'imported from {p}')" \
  || fail "talentgap is not imported from the installed wheel"

port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$work/venv/bin/talentgap" serve --host 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!

get() {  # get PATH OUT [KEY]: the body into OUT, failing on any HTTP error
  "$py" - "http://127.0.0.1:$port$1" "$2" "${3:-}" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1])
if sys.argv[3]:
    req.add_header("Authorization", f"Bearer {sys.argv[3]}")
with urllib.request.urlopen(req, timeout=120) as r:
    open(sys.argv[2], "wb").write(r.read())
EOF
}
for _ in $(seq 1 120); do
  kill -0 "$server" 2>/dev/null || fail "talentgap serve exited"
  if get /api/v1/health "$work/health.json" 2>/dev/null; then break; fi
  sleep 1
done
[ -f "$work/health.json" ] || fail "no answer from /api/v1/health within 120 s"
"$py" - "$work/health.json" <<'EOF' || fail "/api/v1/health"
import json, sys
body = json.load(open(sys.argv[1]))
assert body.get("status") == "ok", body
EOF
echo "wheel: /api/v1/health ok"

# the first start on a new database prints an admin key once
key="$(sed -n 's/^admin key: //p' "$work/serve.log")"
[ -n "$key" ] || fail "no admin key printed on a new database"
get /api/v1/forecasts/quantum "$work/forecast.json" "$key" || fail "GET /api/v1/forecasts/quantum"
"$py" - "$work/forecast.json" <<'EOF' || fail "/api/v1/forecasts/quantum body"
import json, sys
body = json.load(open(sys.argv[1]))
assert body["sector"] == "quantum" and body["rows"], sorted(body)
EOF
echo "wheel: GET /api/v1/forecasts/quantum ok"

# the web UI from the installed templates and static files
get /ui/login "$work/login.html" || fail "GET /ui/login"
get /static/style.css "$work/style.css" || fail "GET /static/style.css"
echo "wheel: web page and static file ok"

kill "$server"
wait "$server" 2>/dev/null || true
server=""

"$work/venv/bin/talentgap" forecast --sector quantum --format json >"$work/cli.json" 2>"$work/cli.err" \
  || { cat "$work/cli.err" >&2; fail "talentgap forecast --sector quantum"; }
"$py" - "$work/cli.json" <<'EOF' || fail "talentgap forecast output"
import json, sys
body = json.load(open(sys.argv[1]))
assert body["sector"] == "quantum" and body["rows"], sorted(body)
EOF
echo "wheel: talentgap forecast --sector quantum ok"
