#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A firmware-assembled (auto) region, as the kernel's cxl_test builds one:
# it comes up bound to the default driver with the kernel's policy, and
# reconfigure-region gives it the admin's policy (and back), where the
# kernel allows. Run through test/sim/run --auto-region.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
[ -e /sys/kernel/debug/cxl-sim/state ] || do_skip "not running under the simulator"
region=$("$CXL" list -R | jq -r '[.[] | select(.decode_state == "commit")][0].region // empty')
[ -n "$region" ] || do_skip "no auto-assembled region (run with --auto-region)"
rc=1

before=$("$CXL" list -R -r "$region" | jq -c '.[0]')
[ "$(jq -r .region_driver <<<"$before")" = cxl_region ]

out=$("$CXL" reconfigure-region "$region" --online=movable)
[ "$(jq -r .changed <<<"$out")" = true ]
check_blocks "$region" online Movable
out=$("$CXL" reconfigure-region "$region" --mode=devdax)
check_blocks "$region" absent
out=$("$CXL" reconfigure-region "$region" --online=kernel)
check_blocks "$region" online Normal
"$CXL" reconfigure-region "$region" --online=kernel | jq -e '.changed == false' >/dev/null
"$CXL" destroy-region -f "$region"
[ ! -e "/sys/bus/cxl/devices/$region" ]
# -t pmem is upstream's business: passed through unchanged
d=$("$CXL" list -D -d root |
	jq -r '[.[] | select(.pmem_capable == true and .nr_targets == 1)][0].decoder // empty')
if [ -n "$d" ]; then
	m=$("$CXL" list -M -d "$d" | jq -r '[.[] | select(.pmem_size > 0)][0].memdev // empty')
	if [ -n "$m" ]; then
		r=$("$CXL" create-region -t pmem -d "$d" -m "$m" | jq -r .region)
		[ "$(cat /sys/bus/cxl/devices/$r/mode)" = pmem ]
		"$CXL" destroy-region -f "$r"
	fi
fi
echo "auto region: all checks passed"
