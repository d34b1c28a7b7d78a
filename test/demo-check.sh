#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The README's first command runs scripts/demo-steps.sh in the simulator
# (scripts/demo.sh). This runs the same steps the same way, with the
# kernel's policy at "online", and checks what they show: the region came
# online movable, was reconfigured to kernel and to devdax, and is gone.
set -u
. "$(dirname "$0")/common"
. "$(dirname "$0")/sim-lib.sh"
repo=$(cd "$(dirname "$0")/.." && pwd)

before=$(state)
code=0
"$repo/scripts/demo-steps.sh" "$CXL" >"$tmp/out" 2>"$tmp/err" || code=$?
sed 's/\x1b\[[0-9;]*m//g' "$tmp/out" >"$tmp/plain"
cat "$tmp/plain" "$tmp/err"

check "demo: exit 0 (got $code)" '[ $code = 0 ]'
check "demo: the kernel's policy was online" \
	'grep -A1 -F "$ cat /sys/devices/system/memory/auto_online_blocks" "$tmp/plain" | grep -qx online'
check "demo: created movable" \
	'grep -q "\"online_type\":\"online_movable\"" "$tmp/plain"'
check "demo: reconfigured to kernel" \
	'grep -q "\"online_type\":\"online_kernel\"" "$tmp/plain"'
check "demo: reconfigured to devdax" \
	'grep -q "\"mode\":\"devdax\"" "$tmp/plain"'
check "demo: the last list shows no region" \
	'[ "$(tail -n2 "$tmp/plain" | tr -d "[:space:]")" = "[]" ]'
check "demo: state as before" '[ "$(state)" = "$before" ]'
finish
