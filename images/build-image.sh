#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build one hmemu guest image: build-image.sh [--frame-pointer] OUT.elf SRC.c [SRC.c ...]
# Compile the runtime once:      build-image.sh [--frame-pointer] --runtime OBJDIR
#
# --frame-pointer adds -fno-omit-frame-pointer (hmemu build passes it by default) so
# reports can walk call traces from frame pointers; it changes the generated code, so
# the measured shipped images are built without it. Debug info (-g) is always on, with
# source paths relative to the source's directory and include/ for the runtime headers.
# The runtime (runtime/*.c, runtime/crt0.S) is compiled along with the given
# sources and linked with runtime/hmemu.ld. With HMEMU_RUNTIME_OBJS=OBJDIR (made
# by --runtime, with the same --frame-pointer choice) the runtime objects are
# linked from there instead of being compiled again (what `hmemu test` does).
# runtime/lib/*.c (the out-of-line parts of the wider Linux API: mutex, rwsem,
# RCU, scatterlist, iov_iter, vmalloc, ...) goes into an archive (libhmemu.a,
# kept with the runtime objects), so an image links only the members it uses
# and the layout of an image that uses none of them does not change.
# Works from any directory; exits non-zero with gcc's messages on error. CC
# overrides the compiler.
set -euo pipefail

usage() { echo "usage: $0 [--frame-pointer] OUT.elf SRC.c [SRC.c ...] | [--frame-pointer] --runtime OBJDIR" >&2; exit 2; }
FRAME_POINTER=()
if [ "${1:-}" = "--frame-pointer" ]; then
	FRAME_POINTER=(-fno-omit-frame-pointer)
	shift
fi
[ $# -ge 2 ] || usage

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNTIME=$HERE/runtime
CC=${CC:-gcc}

out=$1
shift

CFLAGS=(
	-m32 -march=i686 -O2 -g
	-ffreestanding -nostdlib -fno-pic -fno-pie -no-pie -static
	-fno-stack-protector -fno-builtin
	-mno-sse -mno-mmx -mno-80387
	-fno-asynchronous-unwind-tables -fno-common -fno-strict-aliasing
	-Wall -Werror=implicit-function-declaration
	-I"$RUNTIME/include"
	# __FILE__ in BUG/WARN reports: include/hmemu/..., runtime/..., or the bare source name
	-fmacro-prefix-map="$HERE/"=
	-fmacro-prefix-map="$RUNTIME/include/"=include/
	# the same for the DWARF file names (debug info only: the code is unchanged)
	-fdebug-prefix-map="$HERE/"=
	-fdebug-prefix-map="$RUNTIME/include/"=include/
	"${FRAME_POINTER[@]}"
)
LDFLAGS=(-T "$RUNTIME/hmemu.ld" -Wl,--build-id=none -Wl,--orphan-handling=warn)

LIBGCC=$("$CC" -m32 -print-libgcc-file-name 2>/dev/null || true)
LIBS=()
if [ -n "$LIBGCC" ] && [ -f "$LIBGCC" ]; then
	LIBS=(-lgcc)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hmemu-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

objs=()
n=0
compile() {	# compile SRC [extra flags...]
	local src=$1 dir obj
	shift
	dir=$(cd "$(dirname "$src")" && pwd)
	n=$((n + 1))
	obj="$objdir/$(printf '%02d' "$n")-$(basename "${src%.*}").o"
	local dbg=(-fdebug-prefix-map="$dir/"=)
	if [ "$dir" = "$RUNTIME" ]; then	# DWARF names runtime/*.c and include/... as such (last map wins)
		dbg=(-fdebug-prefix-map="$dir/"=runtime/ -fdebug-prefix-map="$RUNTIME/include/"=include/)
	fi
	"$CC" "${CFLAGS[@]}" -fmacro-prefix-map="$dir/"= "${dbg[@]}" "$@" -c "$dir/$(basename "$src")" -o "$obj"
	objs+=("$obj")
}

compile_runtime() {
	compile "$RUNTIME/crt0.S"
	for src in "$RUNTIME"/*.c; do
		compile "$src" -fno-tree-loop-distribute-patterns
	done
}

build_runtime_lib() {	# build_runtime_lib ARCHIVE: runtime/lib/*.c into one static archive
	local src obj libobjs=()
	mkdir -p "$tmp/lib"
	for src in "$RUNTIME"/lib/*.c; do
		[ -f "$src" ] || continue
		obj="$tmp/lib/$(basename "${src%.c}").o"
		"$CC" "${CFLAGS[@]}" -fno-tree-loop-distribute-patterns -c "$src" -o "$obj"
		libobjs+=("$obj")
	done
	rm -f "$1"
	if [ ${#libobjs[@]} -gt 0 ]; then
		ar rcs "$1" "${libobjs[@]}"
	fi
}

objdir=$tmp
if [ "$out" = "--runtime" ]; then
	[ $# -eq 1 ] || usage
	objdir=$tmp/objs
	mkdir -p "$objdir"
	compile_runtime
	build_runtime_lib "$objdir/libhmemu.a"
	mkdir -p "$(dirname "$1")"
	rm -rf "$1"
	mv "$objdir" "$1"
	exit 0
fi

LIBHM=()
if [ -n "${HMEMU_RUNTIME_OBJS:-}" ]; then
	objs=("$HMEMU_RUNTIME_OBJS"/*.o)
	n=${#objs[@]}
	[ "$n" -gt 1 ] || { echo "$0: no runtime objects in $HMEMU_RUNTIME_OBJS" >&2; exit 1; }
	[ -f "$HMEMU_RUNTIME_OBJS/libhmemu.a" ] && LIBHM=("$HMEMU_RUNTIME_OBJS/libhmemu.a")
else
	compile_runtime
	build_runtime_lib "$tmp/libhmemu.a"
	[ -f "$tmp/libhmemu.a" ] && LIBHM=("$tmp/libhmemu.a")
fi
for src in "$@"; do
	[ -f "$src" ] || { echo "$0: $src: no such file" >&2; exit 1; }
	compile "$src"
done

mkdir -p "$(dirname "$out")"
"$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$tmp/image.elf" "${objs[@]}" "${LIBHM[@]}" "${LIBS[@]}"
mv -f "$tmp/image.elf" "$out"
