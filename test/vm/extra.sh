#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Several test scripts in one boot (each boot costs ~15 s under TCG):
#   extra.sh [run options] -- SCRIPT...
# SCRIPTs are paths relative to test/; those that do not exist (yet) are
# left out; every test/vm-*.sh (VM-only scripts others add) is appended.
# Skips (77) without booting when none is left. Exit: guest-each.sh's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	opts+=("$1")
	shift
done
[ $# -gt 0 ] && shift
shopt -s nullglob
scripts=()
for s in "$@" "$here"/../vm-*.sh; do
	s=${s#"$here"/../}
	[ -f "$here/../$s" ] || { echo "(no test/$s yet)"; continue; }
	scripts+=("/src/test/$s")
done
[ ${#scripts[@]} -gt 0 ] || { echo "SKIP: no test script to run"; exit 77; }
exec "$here/run" "${opts[@]}" -- "$here/guest-each.sh" "${scripts[@]}"
