#!/usr/bin/env bash
# Idempotent machine setup for hmemu on Debian 12 (bookworm) or 13 (trixie).
# Installs: Unicorn 2.1 (from a low-priority trixie source derived from this
# machine's own Debian source entry), gcc (+ 32-bit support), gdb, Java 17, Maven, and
# qemu-system-x86 (only scripts/gdb-bench.sh uses it: QEMU's gdb stub, for comparison).
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    NOROOT=1
  fi
fi
need_root() {
  if [ -n "${NOROOT:-}" ]; then
    echo "setup: installing $* needs root: run scripts/setup.sh as root (or install sudo)" >&2
    exit 1
  fi
}

have_unicorn21() {
  dpkg-query -W -f='${Version}\n' libunicorn-dev 2>/dev/null | grep -qE '^2\.(1|[2-9])' || return 1
  [ -f /usr/include/unicorn/unicorn.h ] || return 1
  grep -q UC_HOOK_TLB_FILL /usr/include/unicorn/unicorn.h
}

need_pkgs=()
for p in gcc gdb make binutils openjdk-17-jdk-headless maven; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
# 32-bit libgcc for guests that use 64-bit division (optional for the runtime itself)
dpkg-query -W -f='${Status}' gcc-multilib 2>/dev/null | grep -q "install ok installed" || need_pkgs+=(gcc-multilib)
# QEMU for scripts/gdb-bench.sh (installed without its recommended GUI/firmware extras)
need_lean=()
dpkg-query -W -f='${Status}' qemu-system-x86 2>/dev/null | grep -q "install ok installed" || need_lean+=(qemu-system-x86)

if ! have_unicorn21; then
  codename=$(. /etc/os-release; echo "${VERSION_CODENAME:-}")
  if [ "$codename" != "trixie" ] && [ ! -f /etc/apt/sources.list.d/hmemu-trixie.sources ] \
      && [ ! -f /etc/apt/sources.list.d/hmemu-trixie.list ]; then
    need_root "Unicorn 2.1 (a low-priority Debian 13 source)"
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ]; then
      # deb822: the first stanza of the machine's own source entry, suite changed to trixie.
      awk 'BEGIN{RS="";ORS="\n\n"} NR==1{print}' "$src" \
        | sed -E 's/^Suites:.*/Suites: trixie/' \
        | $SUDO tee /etc/apt/sources.list.d/hmemu-trixie.sources >/dev/null
    elif [ -f /etc/apt/sources.list ] && grep -qE '^deb [^#]*(bookworm|stable)' /etc/apt/sources.list; then
      # one-line format: the machine's first main-archive line, suite changed to trixie.
      line=$(grep -E '^deb [^#]*(bookworm|stable)( |$)' /etc/apt/sources.list | grep -v -- '-security' | head -1)
      echo "$line" | sed -E 's/ (bookworm|stable)( |$)/ trixie\2/' \
        | $SUDO tee /etc/apt/sources.list.d/hmemu-trixie.list >/dev/null
    else
      echo "setup: no Debian source entry found (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list);" >&2
      echo "setup: add a Debian 13 (trixie) source pinned low and install libunicorn2t64 libunicorn-dev >= 2.1" >&2
      exit 1
    fi
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' \
      | $SUDO tee /etc/apt/preferences.d/hmemu-trixie-pin >/dev/null
  fi
  need_root "Unicorn 2.1"
  $SUDO apt-get update -q
  if [ "$codename" = "trixie" ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libunicorn2t64 libunicorn-dev
  else
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t trixie libunicorn2t64 libunicorn-dev
  fi
  updated=1
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  need_root "${need_pkgs[*]}"
  [ -n "${updated:-}" ] || $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}"
fi

if [ ${#need_lean[@]} -gt 0 ]; then
  need_root "${need_lean[*]}"
  [ -n "${updated:-}" ] || [ ${#need_pkgs[@]} -gt 0 ] || $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_lean[@]}"
fi

have_unicorn21 || { echo "setup: Unicorn 2.1 headers not found after install" >&2; exit 1; }
echo "setup: ok (unicorn $(dpkg-query -W -f='${Version}' libunicorn-dev), $(gdb --version | head -1))"
