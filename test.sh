#!/usr/bin/env bash
# Runs every CcBot test. On a fresh Debian machine it first installs what the tests need
# (Debian's chromium for the browser tests, npm for the Web Chat bundle, postgresql for the storage tests),
# starts a throwaway PostgreSQL cluster on 127.0.0.1, then builds and runs `dotnet test`.
# Exits non-zero on any failure. Works unattended (CI=true, no standard input).
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]} > 0)); then
  log "installing Debian packages: ${need[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
  else
    SUDO=
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v chromium >/dev/null 2>&1 || { echo "chromium is required for the browser tests and could not be installed" >&2; exit 1; }
export CCBOT_CHROMIUM="${CCBOT_CHROMIUM:-$(command -v chromium)}"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "PostgreSQL is required for the storage tests and could not be installed" >&2; exit 1; }

# A throwaway PostgreSQL cluster on 127.0.0.1 for this run (own folder and port), removed on exit.
log "starting a throwaway PostgreSQL cluster"
eval "$(tests/postgres.sh start)"
trap 'tests/postgres.sh stop "$CCBOT_TEST_PGDIR"' EXIT
echo "PostgreSQL at ${CCBOT_TEST_POSTGRES%%;Username*}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log "build"
dotnet build CcBot.sln -c Release -v q -nologo

log "test"
results=$(mktemp -d)
set +e
dotnet test CcBot.sln -c Release --no-build -v q -nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for the whole run, summed over the test projects' TRX files.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None:
        continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
