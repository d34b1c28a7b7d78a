#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The legacy kernel interface on the real kernel and in the simulator:
#   fidelity.sh [--offline] qemu1|qemu2 [-- SCRIPT...]
# SCRIPTs (paths relative to test/, those that exist, and every
# test/vm-*.sh as extra.sh adds them) run in the same boot after the
# capture, in the VM only: one boot instead of two.
# One boot runs guest-smoke.sh (the legacy sequence by raw sysfs, with its
# own checks) and then guest-capture.sh; the simulator's legacy profile
# (test/sim/run --profile=legacy --topology=T) runs the same two. With
# --offline both start with auto_online_blocks=offline (kernel:
# memhp_default_state=offline), else with the Debian default (online).
#
# Fails when the smoke test fails in the VM, or when the two captures
# differ in structure (fidelity.jq: same objects with the same keys in
# cxl list -BMDPTE(R) and daxctl list -RDM, the same drivers, attribute
# names, memory block layout and states, the same result of every write)
# beyond the differences in fidelity-known.txt (documented in README.md).
# Exit 77 when the VM cannot run here, or when it passed but the simulator
# cannot run. Captures and logs stay in $CXL_VM_LOGDIR/fidelity-T[-offline]/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

offline=0
[ "${1:-}" = --offline ] && { offline=1; shift; }
topo=${1:?usage: fidelity.sh [--offline] qemu1|qemu2 [-- SCRIPT...]}
shift
[ "${1:-}" = -- ] && shift
extra=()
shopt -s nullglob
if [ $# -gt 0 ]; then
	for x in "$@" "$here"/../vm-*.sh; do
		x=${x#"$here"/../}
		[ -f "$here/../$x" ] && extra+=("/src/test/$x")
	done
fi
shopt -u nullglob
name=$topo
vm_args=(--topology="$topo")
[ ${#extra[@]} -eq 0 ] || vm_args+=(--timeout=600)
sim_args=(--profile=legacy --topology="$topo")
if [ $offline = 1 ]; then
	name=$topo-offline
	vm_args+=(--append=memhp_default_state=offline)
	sim_args+=(--auto-online=offline)
fi

logdir=${CXL_VM_LOGDIR:-$repo/build/test/vm/logs}
work=$logdir/fidelity-$name
rm -rf "$work"
mkdir -p "$work/sim" "$work/vm"

# --- the VM ---------------------------------------------------------------
set +e
"$here/run" "${vm_args[@]}" --out="$work/vm" -- \
	"$here/guest-each.sh" guest-smoke.sh guest-capture.sh "${extra[@]}"
vm_rc=$?
set -e
[ $vm_rc = 77 ] && exit 77
vm_ok=1
[ $vm_rc = 0 ] || { echo "FAIL: the VM run failed (exit $vm_rc)"; vm_ok=0; }
grep -q '^region after delete' "$work/vm/errno.tsv" 2>/dev/null ||
	{ echo "FAIL: no complete capture from the VM"; exit 1; }

# --- the simulator ----------------------------------------------------------
sim_run=$repo/test/sim/run
if [ ! -x "$sim_run" ]; then
	[ $vm_ok = 1 ] || exit 1
	echo "SKIP: no simulator runner ($sim_run): nothing to compare with"
	exit 77
fi
set +e
CXL_CAPTURE_OUT=$work/sim "$sim_run" "${sim_args[@]}" -- \
	"$here/guest-each.sh" guest-smoke.sh guest-capture.sh \
	>"$work/sim.log" 2>&1
sim_rc=$?
set -e
echo "--- simulator (exit $sim_rc, log $work/sim.log):"
grep -E '^(FAIL|===|passed|captured)' "$work/sim.log" || true
if [ $sim_rc = 77 ]; then
	[ $vm_ok = 1 ] || exit 1
	echo "SKIP: the simulator cannot run here: nothing to compare with"
	exit 77
fi
grep -q '^region after delete' "$work/sim/errno.tsv" 2>/dev/null ||
	{ echo "FAIL: no complete capture from the simulator"; exit 1; }

# --- compare ---------------------------------------------------------------
"$here/capture-json.sh" "$work/vm" >"$work/vm-probed.json"
"$here/capture-json.sh" "$work/sim" >"$work/sim.json"
# Which PCI device becomes mem0 depends on cxl_pci's probe order, in the VM
# only. The endpoints are named by port and do not move: give each VM
# memdev the name the simulator gives the memdev under the same endpoint,
# everywhere in the capture, so that the order cannot hide or fake a
# difference.
rename=$(jq -n -c --slurpfile vm "$work/vm-probed.json" \
	--slurpfile sim "$work/sim.json" '
	def by_endpoint(c): [c[0].before | .. | objects
		| select(has("endpoint") and (.memdev | type) == "object")
		| {(.endpoint): .memdev.memdev}] | add // {};
	by_endpoint($vm) as $v | by_endpoint($sim) as $s
	| [$v | to_entries[] | select($s[.key] and $s[.key] != .value)
	   | {(.value): $s[.key]}] | add // {}')
[ "$rename" = "{}" ] || echo "memdevs of the VM renamed by endpoint: $rename"
jq --argjson m "$rename" \
	'walk(if type == "string" and $m[.] then $m[.] else . end)' \
	"$work/vm-probed.json" >"$work/vm.json"
{
	jq -n -r --slurpfile vm "$work/vm.json" --slurpfile sim "$work/sim.json" \
		-f "$here/fidelity.jq"
	grep -q '^=== .*guest-smoke.sh: exit 0$' "$work/sim.log" ||
		echo "guest-smoke.sh fails under the simulator"
} >"$work/diffs.txt"

# tolerated differences, lines of "TOPOLOGY|*  GLOB  # why"
known() { # difference
	local t p
	while read -r t p; do
		[ -n "$t" ] && [ "${t:0:1}" != "#" ] || continue
		p=${p%%  #*}
		[ "$t" = "*" ] || [ "$t" = "$topo" ] || continue
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
	done <"$here/fidelity-known.txt"
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
echo "$name: $(wc -l <"$work/diffs.txt") difference(s), $new not documented"
if [ $new != 0 ]; then
	echo "FAIL: fix the simulator, or document in test/vm/README.md and fidelity-known.txt"
	exit 1
fi
[ $vm_ok = 1 ] || exit 1
exit 0
