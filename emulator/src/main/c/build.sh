#!/usr/bin/env bash
# Builds libhmemu.so (the per-block C hooks) into $1. Needs gcc and libunicorn-dev >= 2.1.
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
if ! grep -qs UC_HOOK_TLB_FILL /usr/include/unicorn/unicorn.h; then
  echo "libunicorn-dev 2.1 headers not found: run scripts/setup.sh" >&2
  exit 1
fi
gcc -O2 -g -fPIC -shared -Wall -Werror -o "$out/libhmemu.so" "$here/hmemu_native.c" -lunicorn
