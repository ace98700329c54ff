#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build every images/src/*.c into OUTDIR/<name>.elf (one image per source).
# A source containing the line "hmemu-build: frame-pointer" (the diagnostics images) is
# built with frame pointers; the others keep the code their measured numbers come from.
# Builds run in parallel (HMEMU_JOBS, default: the number of CPUs); exits
# non-zero, naming the failed images, if any build fails.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outdir=$1
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
jobs=${HMEMU_JOBS:-$(nproc 2>/dev/null || echo 2)}

shopt -s nullglob
srcs=("$HERE"/src/*.c)
[ ${#srcs[@]} -gt 0 ] || { echo "$0: no sources in $HERE/src" >&2; exit 1; }

logdir=$(mktemp -d "${TMPDIR:-/tmp}/hmemu-build-all.XXXXXX")
trap 'rm -rf "$logdir"' EXIT

build_one() {	# build_one SRC: stdout/stderr to a per-image log, status file on failure
	local src=$1 name
	name=$(basename "${src%.c}")
	local fp=()
	if grep -q "hmemu-build: frame-pointer" "$src"; then
		fp=(--frame-pointer)
	fi
	if ! "$HERE/build-image.sh" "${fp[@]}" "$outdir/$name.elf" "$src" >"$logdir/$name.log" 2>&1; then
		touch "$logdir/$name.failed"
	fi
}

running=0
for src in "${srcs[@]}"; do
	build_one "$src" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

failed=()
for src in "${srcs[@]}"; do
	name=$(basename "${src%.c}")
	if [ -s "$logdir/$name.log" ]; then
		echo "== $name" >&2
		cat "$logdir/$name.log" >&2
	fi
	[ -e "$logdir/$name.failed" ] && failed+=("$name")
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "$0: failed: ${failed[*]}" >&2
	exit 1
fi
echo "built ${#srcs[@]} images in $outdir"
