#!/usr/bin/env bash
# Times stock gdb against hmemu's gdb stub and against QEMU's, side by side:
#   step: connect, break gdb_mark, continue, delete, stepi 1000
#   read: connect, break gdb_mark, continue, delete, 100 x (x/1024xw big)  (big: a 64 KiB global)
# Each time runs from gdb's "target remote" to the end of the last command, taken by gdb
# itself (shell date): gdb's own start-up (reading the ELF's symbols) is not the stub's.
# hmemu runs images/src/gdb_target.c (1 CPU); QEMU (qemu-system-i386 -S -gdb, i.e. -s -S on
# a chosen port) runs scripts/gdb-bench/qemu_target.c, a multiboot guest with the same
# names. Rounds are interleaved (hmemu, QEMU, hmemu, QEMU, ...) so that load on the
# machine falls on both alike. Prints each time, then per case the median, the range and
# the ratio hmemu / QEMU of the medians.
#
# usage: scripts/gdb-bench.sh [ROUNDS]   (default 5)
#   HMEMU=command  runs hmemu through another launcher (default: the repository's ./hmemu)
# exit: 0 done; 1 a tool is missing or a session failed
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ROUNDS=${1:-5}
HMEMU=${HMEMU:-$HERE/hmemu}
case "$ROUNDS" in
  ''|*[!0-9]*|0) echo "gdb-bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac
for t in gdb gcc qemu-system-i386 ss; do
  command -v "$t" >/dev/null 2>&1 || { echo "gdb-bench: $t is not installed: run scripts/setup.sh" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hmemu-gdb-bench.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- the guests ----
QEMU_ELF="$WORK/qemu_target.elf"
gcc -m32 -g -O2 -ffreestanding -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib \
  -static -no-pie -Wl,-T,"$HERE/scripts/gdb-bench/qemu_target.ld" -Wl,--build-id=none \
  -Wl,--no-warn-rwx-segments -o "$QEMU_ELF" "$HERE/scripts/gdb-bench/qemu_target.c"
"$HMEMU" --version >/dev/null # builds hmemu and its images on first use
HMEMU_ELF="$HERE/images/target/classes/dev/hmemu/images/gdb_target.elf"
[ -f "$HMEMU_ELF" ] || { echo "gdb-bench: $HMEMU_ELF is missing" >&2; exit 1; }

# ---- gdb command files ----
COMMON=$'set confirm off\nset pagination off\nbreak gdb_mark\ncontinue\ndelete\n'
END="shell date +%s%N >$WORK/t1"
printf '%sstepi 1000\n%s\np/x $pc\nkill\n' "$COMMON" "$END" >"$WORK/step.gdb"
printf '%sset $i = 0\nwhile $i < 100\n  x/1024xw big\n  set $i = $i + 1\nend\n%s\nkill\n' "$COMMON" "$END" \
  >"$WORK/read.gdb"

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [ -z "$(ss -Htln "sport = :$p")" ] && { echo "$p"; return; }
  done
}

# Starts a stub and waits until it listens; sets PORT and PID. $1: hmemu|qemu
start_stub() {
  local log="$WORK/$1.log" port i
  if [ "$1" = hmemu ]; then
    "$HMEMU" run --quiet gdb_target --cpus 1 --gdb >"$log" 2>&1 &
    PID=$!
    PIDS+=("$PID")
    for ((i = 0; i < 600; i++)); do
      port=$(sed -n 's/^hmemu: waiting for gdb on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
      [ -n "$port" ] && { PORT=$port; return; }
      sleep 0.1
    done
  else
    port=$(free_port)
    qemu-system-i386 -kernel "$QEMU_ELF" -display none -serial none -monitor none -S \
      -gdb "tcp:127.0.0.1:$port" >"$log" 2>&1 &
    PID=$!
    PIDS+=("$PID")
    for ((i = 0; i < 600; i++)); do
      [ -n "$(ss -Htln "sport = :$port")" ] && { PORT=$port; return; }
      sleep 0.1
    done
  fi
  echo "gdb-bench: the $1 stub did not start:" >&2
  cat "$log" >&2
  exit 1
}

# One timed gdb session; sets MS to the milliseconds it took. $1: hmemu|qemu  $2: step|read
session() {
  local elf out
  [ "$1" = hmemu ] && elf=$HMEMU_ELF || elf=$QEMU_ELF
  start_stub "$1"
  out="$WORK/$1-$2.out"
  rm -f "$WORK/t0" "$WORK/t1"
  gdb -batch -nx -ex "shell date +%s%N >$WORK/t0" -ex "target remote 127.0.0.1:$PORT" -x "$WORK/$2.gdb" "$elf" \
    >"$out" 2>&1 || true
  wait "$PID" 2>/dev/null || true
  # what gdb must have done: stopped at the breakpoint; stepped (a pc printed) or read every word
  grep -q "^Breakpoint 1, gdb_mark" "$out" || { echo "gdb-bench: $1 $2: no breakpoint stop:" >&2; tail "$out" >&2; exit 1; }
  if [ "$2" = step ]; then
    grep -q '^\$1 = 0x' "$out" || { echo "gdb-bench: $1 step: no pc after stepi:" >&2; tail "$out" >&2; exit 1; }
  else
    local lines
    lines=$(grep -c '^0x[0-9a-f]* <big' "$out" || true)
    [ "$lines" = 25600 ] || { echo "gdb-bench: $1 read: $lines lines of big, not 25600:" >&2; tail "$out" >&2; exit 1; }
  fi
  [ -s "$WORK/t1" ] || { echo "gdb-bench: $1 $2: gdb did not get to the end:" >&2; tail "$out" >&2; exit 1; }
  MS=$((($(cat "$WORK/t1") - $(cat "$WORK/t0")) / 1000000))
}

declare -A times
for ((r = 1; r <= ROUNDS; r++)); do
  for c in step read; do
    for s in hmemu qemu; do
      session "$s" "$c"
      times[$s-$c]+="$MS "
      printf 'round %d  %-5s  %-5s  %6.2f s\n' "$r" "$c" "$s" "$(awk -v m="$MS" 'BEGIN{print m/1000}')"
    done
  done
done

# median and range of a list of milliseconds, in seconds: "median min max"
stats() {
  tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1} END{
    m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
    printf "%.2f %.2f %.2f\n", m/1000, v[1]/1000, v[NR]/1000}'
}

echo
echo "gdb-bench: $ROUNDS rounds, $(gdb --version | head -1), $(qemu-system-i386 --version | head -1)"
printf '%-44s %-22s %-22s %s\n' case hmemu "QEMU" "hmemu/QEMU"
for c in step read; do
  read -r hm hlo hhi <<<"$(stats "${times[hmemu-$c]}")"
  read -r qm qlo qhi <<<"$(stats "${times[qemu-$c]}")"
  [ "$c" = step ] && name="connect + break + 1000 stepi" || name="connect + break + 100 x/1024xw (64 KiB)"
  printf '%-44s %-22s %-22s %s\n' "$name" "$hm s ($hlo-$hhi)" "$qm s ($qlo-$qhi)" \
    "$(awk -v a="$hm" -v b="$qm" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')"
done
