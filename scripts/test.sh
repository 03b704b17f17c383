#!/usr/bin/env bash
# Runs every test: units beside the code and end-to-end tests that drive berthd with the real docker CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find dist -name '*.test.js' | sort)
exec node --test --test-concurrency=1 "${files[@]}"
