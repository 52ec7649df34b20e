#!/usr/bin/env bash
# The portal's test command: installs what the tests need, starts PostgreSQL, publishes the app as the Dockerfile
# does and smoke-tests the published build, then runs every test. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
packages=(chromium dnsmasq-base nginx-light postfix postfix-mta-sts-resolver testssl.sh postgresql python3-botocore iproute2 util-linux openssl curl ca-certificates)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "Missing packages (${missing[*]}); run as root or install them." >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "all present: ${packages[*]}"
# The plan-only test deploys the downloaded stacks with the real aws CLI; Debian's package when none is installed.
if ! command -v aws >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "The aws CLI is missing; run as root or install it." >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli >/dev/null
fi

work=$(mktemp -d /tmp/portal-test.XXXXXX)
pgdata="$work/pg"
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -f "$pgdata/postmaster.pid" ] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "Node packages for the identity tests (an OIDC provider that is not the portal's) and the accessibility audit (axe-core)"
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
(cd "$root/Portal.SystemTests/oidc-provider" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$root/Portal.SystemTests/accessibility" && npm ci --no-audit --no-fund --loglevel=error)

step "PostgreSQL for the database tests"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$pgdata" && chown postgres:postgres "$pgdata" && chmod 700 "$pgdata"
chmod 755 "$work"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" \
  -o "-p $pgport -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export PORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres;Pooling=false"
echo "listening on 127.0.0.1:$pgport"

step "Publish (the same command as the Dockerfile)"
dotnet publish Portal/Portal.csproj -c Release -o "$work/publish" -nologo -v q

step "Smoke test of the published app, configured by environment variables only"
# No AWS credentials here: the portal starts in plan-only mode; instance metadata lookups are off so nothing leaves the machine.
appport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/appdata"
(cd "$work/publish" && AWS_EC2_METADATA_DISABLED=true ASPNETCORE_URLS="http://127.0.0.1:$appport" ASPNETCORE_ENVIRONMENT=Production \
  Database__DataDirectory="$work/appdata" exec dotnet Portal.dll >"$work/app.log" 2>&1) &
app_pid=$!
ready=""
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$appport/readyz" >/dev/null 2>&1; then ready=yes; break; fi
  sleep 1
done
if [ -z "$ready" ]; then echo "published app did not become ready:" >&2; cat "$work/app.log" >&2; exit 1; fi
# Production without credentials never falls into the sandbox: it says, in one line, that it plans only.
if ! grep -q "AWS mode: plan-only" "$work/app.log" || grep -q "Sandbox mode" "$work/app.log"; then
  echo "the published app in Production without credentials did not announce plan-only mode:" >&2; cat "$work/app.log" >&2; exit 1
fi
(cd "$work/publish" && dotnet Portal.dll healthcheck "http://127.0.0.1:$appport/healthz")
(cd "$work/publish" && dotnet Portal.dll render --shared --out "$work/rendered" >/dev/null)
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""

step "Tests"
# Built once, then one test project after another, cheapest first: run side by side on two cores, the web and system
# tests slow each other's timed fixtures down. Every project runs even when an earlier one fails; the exit says whether all passed.
dotnet build "$root/Portal.slnx" -nologo -v q
failed=()
for project in Portal.UnitTests Portal.WebTests Portal.SystemTests; do
  step "Tests: $project"
  dotnet test "$root/$project" --no-build -nologo --logger "console;verbosity=minimal" "$@" || failed+=("$project")
done
if ((${#failed[@]})); then echo "failed: ${failed[*]}" >&2; exit 1; fi
