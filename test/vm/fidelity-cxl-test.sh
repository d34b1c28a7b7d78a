#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The simulator's cxl_test topology against the kernel's own cxl_test mock:
#   fidelity-cxl-test.sh
# One boot of the cxl_test kernel (run --topology=cxl_test) runs
# guest-capture-cxl-test.sh with CXL_TEST_MODULE=1; the simulator
# (test/sim/run --profile=legacy --topology=cxl_test --auto-region) runs
# the same script. Both listings get probe-order-free names
# (cxl-test-canon.jq) and are compared by fidelity.jq: the same objects
# and keys in `cxl list -BMDPTE` as loaded (with the auto-assembled
# region) and in `cxl list -BMDPTER` after a create-region, with the
# decoder programming compared by value (ways, granularity, ranges,
# targets and their positions, DPA), and the root decoders' sysfs
# attributes. Differences beyond fidelity-cxl-test-known.txt (each with
# its reason, see README.md) fail. Exit 77 when the VM or the simulator
# cannot run here. Captures stay in $CXL_VM_LOGDIR/fidelity-cxl_test/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

logdir=${CXL_VM_LOGDIR:-$repo/build/test/vm/logs}
work=$logdir/fidelity-cxl_test
rm -rf "$work"
mkdir -p "$work/sim" "$work/vm"

set +e
CXL_TEST_MODULE=1 "$here/run" --topology=cxl_test --out="$work/vm" -- \
	"$here/guest-capture-cxl-test.sh"
vm_rc=$?
set -e
[ $vm_rc = 77 ] && exit 77
[ $vm_rc = 0 ] || { echo "FAIL: the VM capture failed (exit $vm_rc)"; exit 1; }

sim_run=$repo/test/sim/run
[ -x "$sim_run" ] || { echo "SKIP: no simulator runner: nothing to compare with"; exit 77; }
set +e
CXL_CAPTURE_OUT=$work/sim "$sim_run" --profile=legacy --topology=cxl_test \
	--auto-region -- "$here/guest-capture-cxl-test.sh" >"$work/sim.log" 2>&1
sim_rc=$?
set -e
[ $sim_rc = 77 ] && { echo "SKIP: the simulator cannot run here"; exit 77; }
[ $sim_rc = 0 ] || { echo "FAIL: the simulator capture failed (exit $sim_rc, $work/sim.log)"; exit 1; }

# one document per side: the listings with probe-order-free names, the
# root decoders' attributes
doc() { # folder
	local b
	b=$(jq -c . "$1/before.json")
	jq -n --slurpfile before <(jq -f "$here/cxl-test-canon.jq" "$1/before.json") \
		--slurpfile after <(jq -f "$here/cxl-test-canon.jq" \
			--argjson also "[$b]" "$1/after.json") \
		--argjson roots "$(jq -R -s 'split("\n") | map(select(length > 0) |
			split("\t")) | group_by(.[0]) | map({(.[0][0]):
			(map({(.[1]): .[2]}) | add)}) | add' "$1/roots.tsv")" \
		'{before: $before[0], after: $after[0], roots: $roots}'
}
doc "$work/vm" >"$work/vm.json"
doc "$work/sim" >"$work/sim.json"

# decoder programming and topology compared by value, not only by type
extra='["interleave_ways", "interleave_granularity", "resource", "size",
	"nr_targets", "position", "id", "dpa_resource", "dpa_size", "depth",
	"nr_dports", "host", "ram_size", "pmem_size", "serial", "numa_node",
	"volatile_capable", "pmem_capable", "alias", "decode_state",
	"target_list", "cap_ram", "cap_pmem", "cap_type2", "cap_type3",
	"interleave_ways", "start"]'
jq -n -r --slurpfile vm "$work/vm.json" --slurpfile sim "$work/sim.json" \
	--argjson extra "$extra" -f "$here/fidelity.jq" >"$work/diffs.txt"

# tolerated differences, lines of "GLOB  # why"
known() { # difference
	local p
	while read -r p; do
		[ -n "$p" ] && [ "${p:0:1}" != "#" ] || continue
		p=${p%%  #*}
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
	done <"$here/fidelity-cxl-test-known.txt"
	return 1
}

new=0
while IFS= read -r d; do
	if known "$d"; then
		echo "known: $d"
	else
		echo "DIFF: $d"
		new=$((new + 1))
	fi
done <"$work/diffs.txt"
echo "cxl_test: $(wc -l <"$work/diffs.txt") difference(s), $new not documented"
if [ $new != 0 ]; then
	echo "FAIL: fix the simulator, or document in test/vm/README.md and fidelity-cxl-test-known.txt"
	exit 1
fi
exit 0
