#!/usr/bin/env bash
# Makes the host able to load TorchSharp 0.107's native library (libLibTorchSharp.so needs GLIBCXX_3.4.32).
# Idempotent: does nothing where the system libstdc++ already has the symbol.
# On Debian 12 as root it installs libstdc++6 (and the libc6 it pulls) from Debian 13 "trixie", pinned at
# priority 100 so that no other package is upgraded from trixie by accident.
set -euo pipefail

needed="GLIBCXX_3.4.32"

libstdcxx_path() {
  ldconfig -p 2>/dev/null | grep -m1 'libstdc++.so.6 ' | awk '{print $NF}'
}

has_symbol() {
  local lib
  lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -qa "$needed" "$lib"
}

[ "$(uname -s)" = "Linux" ] || exit 0
has_symbol && exit 0

fail() {
  cat >&2 <<MSG
overopt: the system C++ runtime lacks $needed, which TorchSharp's native library (libtorch 2.10) needs.
  found: $(libstdcxx_path || echo 'no libstdc++.so.6')
  cause: $1
  fix:   install a libstdc++6 that provides $needed (GCC 13 or newer): on Debian 12, as root, run
         scripts/ensure-native.sh; elsewhere use your distribution's newer libstdc++ package.
MSG
  exit 1
}

[ "$(id -u)" = "0" ] || fail "not running as root, so it cannot be installed here"
. /etc/os-release 2>/dev/null || true
[ "${ID:-}" = "debian" ] || fail "this is ${PRETTY_NAME:-an unknown system}, not Debian, so the apt route does not apply"
command -v apt-get >/dev/null || fail "apt-get is missing"

echo "overopt: installing libstdc++6 from Debian 13 (trixie) for $needed (one time)..." >&2
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > /etc/apt/sources.list.d/overopt-trixie.sources <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: $keyring
SRC
cat > /etc/apt/preferences.d/overopt-trixie <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || fail "apt-get update failed"
apt-get install -y -qq --no-install-recommends -t trixie libstdc++6 >/dev/null \
  || fail "apt-get install -t trixie libstdc++6 failed"
has_symbol || fail "libstdc++6 from trixie was installed but still lacks the symbol"
echo "overopt: $needed is now available." >&2
