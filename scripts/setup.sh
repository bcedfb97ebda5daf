#!/usr/bin/env bash
# Installs the Debian packages in scripts/debian-packages.txt, and in the
# further lists given as arguments (`make fuzz`: debian-packages-fuzz.txt),
# that are not installed yet (apt-get update first; sudo when not root).
# Quiet and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(cat scripts/debian-packages.txt "$@" | grep -v '^\s*#' | grep -v '^\s*$')
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

# Node.js and npm (for htmx and the browser tests) when there is no npm:
# Debian's packages on a fresh machine; an existing Node.js is kept.
if ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]} > 0)); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm packages of package-lock.json (htmx, playwright-core, axe-core),
# installed again only when node_modules is missing or was installed from
# another lock file.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.samflyt-lock-sha256
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

