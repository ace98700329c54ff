#!/usr/bin/env bash
# Builds libhmemu.so (the per-block C hooks and their JNI binding) into $1. Needs gcc,
# libunicorn-dev >= 2.1 and a JDK's jni.h ($2: the JDK's home; default: the javac on PATH's).
set -euo pipefail
out=${1:?usage: build.sh OUTDIR [JAVA_HOME]}
jdk=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
if ! grep -qs UC_HOOK_TLB_FILL /usr/include/unicorn/unicorn.h; then
  echo "libunicorn-dev 2.1 headers not found: run scripts/setup.sh" >&2
  exit 1
fi
if { [ -z "$jdk" ] || [ ! -f "$jdk/include/jni.h" ]; } && command -v javac >/dev/null; then
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
if [ -z "$jdk" ] || [ ! -f "$jdk/include/jni.h" ]; then
  echo "jni.h not found (${jdk:+looked in $jdk/include; }no JDK given and no javac on PATH): install a JDK (scripts/setup.sh)" >&2
  exit 1
fi
# libunicorn is a needed library of libhmemu.so: the dynamic linker finds it where apt put it
gcc -O2 -g -fPIC -shared -Wall -Werror -I"$jdk/include" -I"$jdk/include/linux" \
  -o "$out/libhmemu.so" "$here/hmemu_native.c" "$here/hmemu_jni.c" -lunicorn
