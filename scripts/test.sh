#!/usr/bin/env bash
# Runs every test: installs what the machine lacks (Unicorn 2.1, gcc, gdb), builds the
# native helper and the guest images, then runs the unit and integration tests.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
bash "$HERE/scripts/setup.sh"
cd "$HERE"
mvn -B verify "$@"
