#!/usr/bin/env bash
# Installs, from Debian's package registry only, exactly the packages that the build, the tests, the demo
# and the benchmarks need. Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing. Works as root or through sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make
  # libraries (see README, "Dependencies")
  libcurl4-openssl-dev libboost-dev libsimdjson-dev libonig-dev libssl-dev libyaml-cpp-dev
  libspdlog-dev libfmt-dev libcli11-dev libsqlite3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev openssl curl jq wrk
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
