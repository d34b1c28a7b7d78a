#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test/vm-*.sh (VM-only scripts other engineers add) in one
# boot: extra.sh [run options]. Skips (77) without booting when there is
# none.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shopt -s nullglob
scripts=()
for s in "$here"/../vm-*.sh; do
	scripts+=("/src/test/$(basename "$s")")
done
[ ${#scripts[@]} -gt 0 ] || { echo "SKIP: no test/vm-*.sh"; exit 77; }
exec "$here/run" "$@" -- "$here/guest-each.sh" "${scripts[@]}"
