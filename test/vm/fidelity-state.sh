#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dax/kmem "state" interface on Debian's 7.3 kernel and in the
# simulator's dax-state profile, plus our tool on that kernel, in one boot:
#   fidelity-state.sh [--kernel=FLAVOUR] [-- GUEST_SCRIPT...]
# The boot (qemu2, FLAVOUR default 7.3) runs guest-capture-state.sh first,
# then each GUEST_SCRIPT (paths relative to test/, e.g. vm/guest-region.sh
# cxl-sysram.sh); the simulator (test/sim/run --profile=dax-state
# --topology=qemu2) runs the capture too. Fails when a script fails in the
# VM or when the captures differ (the result of every write, the value
# `state` reads after each step, the blocks present/online/Movable/Normal,
# the dax device's attribute names) beyond the lines of fidelity-known.txt
# for "dax-state". Exit 77 when the VM cannot run here. Captures and logs
# stay in $CXL_VM_LOGDIR/fidelity-dax-state/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

kernel=7.3
[[ ${1:-} == --kernel=* ]] && { kernel=${1#*=}; shift; }
[ "${1:-}" = -- ] && shift
scripts=(/src/test/vm/guest-capture-state.sh)
for s in "$@"; do
	[ -f "$here/../$s" ] && scripts+=("/src/test/$s")
done

logdir=${CXL_VM_LOGDIR:-$repo/build/test/vm/logs}
work=$logdir/fidelity-dax-state
rm -rf "$work"
mkdir -p "$work/sim" "$work/vm"

# --- the VM ---------------------------------------------------------------
set +e
"$here/run" --kernel="$kernel" --topology=qemu2 --timeout=900 \
	--out="$work/vm" -- "$here/guest-each.sh" "${scripts[@]}"
vm_rc=$?
set -e
[ $vm_rc = 77 ] && exit 77
vm_ok=1
[ $vm_rc = 0 ] || { echo "FAIL: the VM run failed (exit $vm_rc)"; vm_ok=0; }
grep -q '^region after delete' "$work/vm/state.tsv" 2>/dev/null ||
	{ echo "FAIL: no complete state capture from the VM"; exit 1; }

# --- the simulator ----------------------------------------------------------
set +e
CXL_CAPTURE_OUT=$work/sim "$repo/test/sim/run" --profile=dax-state \
	--topology=qemu2 -- "$here/guest-capture-state.sh" >"$work/sim.log" 2>&1
sim_rc=$?
set -e
if [ $sim_rc = 77 ]; then
	[ $vm_ok = 1 ] || exit 1
	echo "SKIP: the simulator cannot run here: nothing to compare with"
	exit 77
fi
grep -q '^region after delete' "$work/sim/state.tsv" 2>/dev/null ||
	{ echo "FAIL: no complete state capture from the simulator"; exit 1; }

# --- compare ---------------------------------------------------------------
{
	paste -d'\n' "$work/vm/state.tsv" "$work/sim/state.tsv" |
		awk -F'\t' 'NR % 2 { vm = $0; next }
			vm != $0 { printf "state: vm [%s] sim [%s]\n", vm, $0 }'
	comm -23 <(sort "$work/vm/state-attrs.tsv") \
		<(sort "$work/sim/state-attrs.tsv") | sed 's/.*/.attrs.dax.&: only in vm/'
	comm -13 <(sort "$work/vm/state-attrs.tsv") \
		<(sort "$work/sim/state-attrs.tsv") | sed 's/.*/.attrs.dax.&: only in sim/'
	[ "$(wc -l <"$work/vm/state.tsv")" = "$(wc -l <"$work/sim/state.tsv")" ] ||
		echo "state: the two sequences differ in length"
} >"$work/diffs.txt"

known() { # difference
	local t p
	while read -r t p; do
		[ -n "$t" ] && [ "${t:0:1}" != "#" ] || continue
		p=${p%%  #*}
		[ "$t" = "*" ] || [ "$t" = dax-state ] || continue
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
echo "dax-state: $(wc -l <"$work/diffs.txt") difference(s), $new not documented"
if [ $new != 0 ]; then
	echo "FAIL: fix the simulator, or document in test/vm/README.md and fidelity-known.txt"
	exit 1
fi
[ $vm_ok = 1 ] || exit 1
exit 0
