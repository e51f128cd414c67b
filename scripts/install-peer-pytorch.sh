#!/usr/bin/env bash
# Unpacks Debian 13's PyTorch 2.6 (python3-torch, python3.13 and everything they pull) into a folder of the project's
# own, for the peer benchmark (benchmarks/peer/pytorch_peer.py): nothing is installed into the system and the system
# Python is not touched. apt resolves the package set against an empty package database (so the folder holds all of
# it), `apt-get download` fetches it and `dpkg -x` unpacks it; only the C and C++ runtimes come from the system (the
# loader must match them; scripts/ensure-native.sh already brings trixie's). BLAS is OpenBLAS's OpenMP build: the
# pthread build fights torch's OpenMP pool at 2 threads. Idempotent: an unpacked folder that imports torch is kept.
#
#   scripts/install-peer-pytorch.sh [folder]     default .cache/peer-pytorch; prints the launcher's path last
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/.cache/peer-pytorch}"
launcher="$dest/python"

fail() {
  echo "install-peer-pytorch: $1" >&2
  echo "  fix: $2" >&2
  exit 1
}

works() { [ -x "$launcher" ] && "$launcher" -c 'import torch' >/dev/null 2>&1; }

if works; then
  echo "$launcher"
  exit 0
fi

command -v apt-get >/dev/null || fail "apt-get is missing, so Debian's PyTorch cannot be fetched" "run this on Debian 12 or 13"
command -v dpkg >/dev/null || fail "dpkg is missing" "run this on Debian 12 or 13"
# Debian 12 reaches trixie through the source list that scripts/ensure-native.sh writes; Debian 13 is trixie.
# (grep reads all of apt-cache's output: under pipefail, grep -q would stop early and fail the pipe.)
from_trixie() { apt-cache policy python3-torch 2>/dev/null | grep -c 'trixie' >/dev/null; }
if ! from_trixie; then
  if [ "$(id -u)" = 0 ] && [ -e /etc/apt/sources.list.d/overopt-trixie.sources ]; then
    apt-get update -qq >/dev/null || true
  fi
  from_trixie || fail "apt knows no python3-torch from Debian 13 (trixie)" "run scripts/ensure-native.sh as root first (it adds trixie at low priority), or run this on Debian 13"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: > "$work/empty-status"
echo "install-peer-pytorch: resolving python3-torch from trixie..." >&2
apt-get install -s -t trixie --no-install-recommends -o Dir::State::status="$work/empty-status" \
  python3-torch python3.13 libopenblas0-openmp 2>"$work/resolve.err" | awk '/^Inst /{print $2}' > "$work/packages" || true
[ -s "$work/packages" ] || fail "apt could not resolve python3-torch ($(tail -1 "$work/resolve.err"))" "check that apt-get update works and trixie is reachable"
# The C and C++ runtimes stay the system's: the dynamic loader in use must match them.
grep -vxE 'libc6|libgcc-s1|libstdc\+\+6|gcc-[0-9]+-base' "$work/packages" > "$work/fetch"
echo "install-peer-pytorch: downloading $(wc -l < "$work/fetch") packages (about 200 MB)..." >&2
mkdir -p "$work/debs"
(cd "$work/debs" && apt-get download -t trixie $(cat "$work/fetch") >"$work/download.log" 2>&1) \
  || fail "apt-get download failed ($(tail -1 "$work/download.log"))" "check the network and rerun"
echo "install-peer-pytorch: unpacking into $dest..." >&2
rm -rf "$dest.partial"
mkdir -p "$dest.partial/root"
for deb in "$work"/debs/*.deb; do
  dpkg -x "$deb" "$dest.partial/root"
done
cat > "$dest.partial/python" <<'LAUNCH'
#!/usr/bin/env bash
# Debian 13's python3.13 with its PyTorch 2.6, from the unpacked folder beside this file.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/root/usr/lib/x86_64-linux-gnu"
export LD_LIBRARY_PATH="$lib/openblas-openmp:$lib:$here/root/usr/lib:$here/root/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PYTHONNOUSERSITE=1
unset PYTHONPATH PYTHONHOME
exec "$here/root/usr/bin/python3.13" "$@"
LAUNCH
chmod +x "$dest.partial/python"
"$dest.partial/python" -c 'import torch' >"$work/import.log" 2>&1 \
  || fail "the unpacked PyTorch does not import: $(tail -1 "$work/import.log")" "report it; the folder $dest.partial is left for inspection"
rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "install-peer-pytorch: PyTorch $("$launcher" -c 'import torch; print(torch.__version__)') ready." >&2
echo "$launcher"
