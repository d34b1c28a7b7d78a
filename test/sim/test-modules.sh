#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libkmod sees every module as loaded: neither upstream cxl nor daxctl
# tries to insert a module into the host kernel under the simulator.
. "$(dirname "$0")/common.sh"
sim_enter --profile=legacy --topology=cxl_test --auto-region -- "$@"
need cxl daxctl strace

log=$(mktemp) || fail mktemp
trap 'rm -f "$log"' EXIT
trace() {
	strace -f -qq -e trace=init_module,finit_module -o "$log" "$@" \
		>/dev/null 2>&1 || fail "$* failed"
	[ -s "$log" ] && fail "$* called $(cat "$log")"
	true
}

trace cxl list -BMDPTE -R -vvv
trace daxctl list -RD
dec=$(cxl list -b cxl_test -D -d root -m mem2 | jq -r \
	'.[] | select(.pmem_capable == true) | select(.nr_targets == 1) | .decoder')
trace cxl create-region -t pmem -d "$dec" -m mem2
r=$(cxl list -R | jq -r '.[] | select(.region != "region0") | .region')
[ -n "$r" ] || fail "no region created"
trace cxl disable-region "$r"
trace cxl enable-region "$r"
trace cxl destroy-region -f "$r"
trace daxctl reconfigure-device --mode=devdax -f dax0.0
trace daxctl reconfigure-device --mode=system-ram -f dax0.0
assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" kmem \
	"kmem bound through libkmod's path"
echo "PASS: $TEST_NAME"
