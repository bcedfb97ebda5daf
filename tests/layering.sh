#!/usr/bin/env bash
# The dependency rule, checked on the source: each layer includes only the
# layers it may use, and each heavy third-party header stays in its one
# place. (CMake's link graph enforces the same for linking; this catches
# header-only slips.)
set -euo pipefail
cd "$(dirname "$0")/../src"

declare -A allowed=(
  [core]="core"
  [service]="core service msg"
  [store]="core service store net"
  [net]="net"
  [msg]="core msg"
  [http]="http"
  [auth]="core service auth net"
  [api]="core service http api"
  [web]="core service http api web"
  [cli]="core service store msg auth http api web cli"
)

status=0
for layer in "${!allowed[@]}"; do
  while IFS=: read -r file _ include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    if [[ " ${allowed[$layer]} " != *" $target "* ]]; then
      echo "layering: $file includes $target/ (a $layer file may include: ${allowed[$layer]})"
      status=1
    fi
  done < <(grep -Hn '#include "[a-z_]*/' "$layer"/*.hpp "$layer"/*.cpp 2>/dev/null || true)
done

only_in() {  # pattern, the one place allowed (a path prefix)
  local hits
  hits=$(grep -rln "$1" . | sed 's|^\./||' | grep -v "^$2" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: $1 is used outside $2: $hits"
    status=1
  fi
}
only_in '#include <restinio' 'http/server.cpp'
only_in '#include <sqlite3.h>' 'store/'
only_in '#include <yaml-cpp' 'core/pathway_yaml.cpp'
only_in '#include <nlohmann' '\(api\|auth\)/'
only_in '#include <openssl' 'auth/'
only_in '#include <sodium' '\(store\|auth\)/'
only_in '#include <curl' 'net/'
only_in '#include <kainjow' 'web/'
only_in '#include <libxml' 'msg/'

if ((status == 0)); then echo "layering: every include follows the dependency rule"; fi
exit $status
