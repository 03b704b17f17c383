#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 machine for berth, as root: system packages, npm packages, build, links.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(runc crun conmon containernetworking-plugins iptables iproute2 util-linux busybox-static
  docker-registry skopeo umoci docker-compose apache2-utils openssl zstd procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The docker CLI is the client the tests drive; Docker's own daemon is only a benchmark peer (npm run bench).
command -v docker >/dev/null || { echo "setup: the docker CLI (client) is required at /usr/local/bin/docker" >&2; exit 1; }

stamp=node_modules/.berth-lock-hash
# npm ci also builds the addon (the package's install script): it reruns when the lock file or the C source changes.
want=$(cat package-lock.json binding.gyp native/* | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f build/Release/berth_native.node ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
npm run --silent build

for bin in berth:cli berthd:daemon; do
  target="$PWD/dist/${bin#*:}/main.js"
  if [ -f "$target" ]; then ln -sf "$target" "/usr/local/bin/${bin%%:*}"; fi
done
