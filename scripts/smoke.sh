#!/usr/bin/env bash
# Runs the built CLI the way a user would: on this repository (must be clean) and on a fixture
# repository with a committed .env file and a default credential (must fail with exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
cli="node dist/cli/index.js"

echo "-- keywarden check . (this repository must scan clean)"
$cli check . --fail-on warning

fixture=$(mktemp -d)
trap 'rm -rf "$fixture"' EXIT
git -C "$fixture" init -q
# Assembled here so this script holds no literal default credential line.
printf 'POSTGRES_%s=%s\n' PASSWORD postgres > "$fixture/.env"
printf 'POSTGRES_PASSWORD=\n' > "$fixture/.env.example"
git -C "$fixture" add -A
git -C "$fixture" -c user.name=ci -c user.email=ci@example.invalid commit -qm fixture

echo "-- keywarden scan FIXTURE (must find the committed .env and exit 1)"
set +e
$cli scan "$fixture" --format sarif --output "$fixture/out.sarif"
code=$?
set -e
[ "$code" -eq 1 ] || { echo "expected exit 1, got $code" >&2; exit 1; }
grep -q '"ruleId"' "$fixture/out.sarif" || { echo "SARIF has no results" >&2; exit 1; }
echo "smoke: ok"
