#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kills and double faults on a real kernel (6.12, 7.3), with strace in the
# guest. A create-region or destroy-region killed at the bind, in the
# middle of onlining, or at the unbind: the next writing command (the
# boot-time policy run, no rule) puts auto_online_blocks back, removes the
# half-built region or finishes the destroy, and nothing leaks. Last, the
# double fault a real kernel makes by itself: memory onlined into
# ZONE_NORMAL picks up unmovable allocations, so when a later step fails,
# the rollback cannot take it offline again: the command exits 1, the
# region stays bound above that memory (never torn down under it), and
# the message names the blocks and the command that finishes the job.
# Runs last in its boot: the ZONE_NORMAL memory may stay until reboot.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"
# shellcheck source=test/common
. "$(dirname "$0")/../common"

[ -x "${CXL:-}" ] || { echo "SKIP: no cxl build in the guest"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: no strace in the guest"; exit 77; }
ram_root_decoder >/dev/null || { echo "SKIP: no RAM root decoder"; exit 77; }

orig=$(cat "$MEMDIR/auto_online_blocks")
[ "$orig" = online ] || must online "$MEMDIR/auto_online_blocks"
trap 'echo "$orig" >"$MEMDIR/auto_online_blocks"' EXIT
mapfile -t mds < <(memdevs)
noconf=$(mktemp -d)
chmod 700 "$noconf"
dmesg_mark
# the legacy method on every kernel: it is the one that holds a setting;
# 512 MiB, four blocks, as room is left by what ran before in this boot
create=(create-region -m "${mds[@]}" --method=legacy -s 512m)
nblk=4

# regions other than those an earlier script left (ZONE_NORMAL ones stay)
ls "$CXLDEV" | grep '^region[0-9]' >"$noconf.base" || true
regions() { ls "$CXLDEV" | grep '^region[0-9]' | grep -cvxFf "$noconf.base" || true; }
# where the next region's blocks can be: every block of the RAM window,
# so that an open of the Nth block state the tool opens can be picked
root=$(ram_root_decoder)
mapfile -t window < <(blocks_of "$(cat "$CXLDEV/$root/start")" \
	"$(hex2dec "$(cat "$CXLDEV/$root/size")")")
paths=()
for b in "${window[@]}"; do paths+=(-P "$MEMDIR/$b/state"); done

# killed WHAT NTH -P PATH... -- CMD...: CMD dies of SIGKILL at the NTH
# open of the PATHs
killed() {
	local what=$1 nth=$2 code=0 p=()

	shift 2
	while [ "$1" != -- ]; do p+=("$1"); shift; done
	shift
	ASAN_OPTIONS=detect_leaks=0 bash -c 'n=$1; shift
		i=1; while [ "${!i}" != -- ]; do i=$((i + 1)); done
		strace -f -qq -o /dev/null "${@:1:i-1}" -e trace=openat \
		-e inject=openat:signal=KILL:when="$n" "${@:i+1}"; exit $?' \
		kill "$nth" "${p[@]}" -- "$CXL" "$@" >/dev/null 2>&1 || code=$?
	expect "$what: died of SIGKILL" "$code" 137
}

repaired() { # what, regions wanted after
	local code=0

	"$CXL" reconfigure-region --check-config all --config-dir="$noconf" \
		>/dev/null 2>"$noconf.err" || code=$?
	expect "$1: the next writing command" "$code" 0
	sed 's/^/  | /' "$noconf.err"
	expect "$1: auto_online_blocks put back" \
		"$(cat "$MEMDIR/auto_online_blocks")" online
	expect "$1: regions left" "$(regions)" "$2"
	[ ! -e /run/cxl-sysram.journal ] || fail "$1: the journal is left"
}

# 1. killed at the bind, auto_online_blocks held at offline
killed "create killed at the bind" 1 \
	-P "$SYS/bus/cxl/drivers/cxl_region/bind" -- "${create[@]}" --online=movable
expect "create killed at the bind: auto_online_blocks held" \
	"$(cat "$MEMDIR/auto_online_blocks")" offline
repaired "create killed at the bind" 0

# 2. killed in the middle of onlining, blocks online movable: the tool
#    reads a block's state relative to the memory folder it keeps open
#    (unseen by -P) and writes it by its whole path; the 3rd open is the
#    third block's write
killed "create killed onlining" 3 "${paths[@]}" -- \
	"${create[@]}" --online=movable
repaired "create killed onlining" 0

# 3. destroy killed at the unbind (memory already offline): finished
if "$CXL" "${create[@]}" --online=movable >"$noconf.json" 2>/dev/null; then
	r=$(grep -o '"region":"region[0-9]*"' "$noconf.json" | head -n1 | cut -d'"' -f4)
	killed "destroy killed at the unbind" 1 \
		-P "$SYS/bus/cxl/drivers/cxl_region/unbind" -- destroy-region -f "$r"
	repaired "destroy killed at the unbind" 0
else
	fail "create for the destroy kill failed"
fi

# 4. the real double fault: ZONE_NORMAL blocks, the last onlining fails
#    (its write is the (blocks)th open: only writes go by the whole path)
# (the simulator has no slab: there its first block is made busy)
[ -z "${CXL_SIM_ACTIVE:-}" ] || echo "${window[0]}" >/sys/kernel/debug/cxl-sim/busy
code=0
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null "${paths[@]}" \
	-e trace=openat -e inject=openat:error=EIO:when=$nblk \
	"$CXL" "${create[@]}" --online=kernel >/dev/null 2>"$noconf.err" || code=$?
sed 's/^/  | /' "$noconf.err"
expect "kernel zone, last block fails: exit" "$code" 1
if [ "$(regions)" = 0 ]; then
	note "the rollback took every block offline again (no unmovable page yet)"
else
	r=$(ls "$CXLDEV" | grep '^region[0-9]' | grep -vxFf "$noconf.base" | head -n1)
	expect "kept above its memory: $r committed" "$(cat "$CXLDEV/$r/commit")" 1
	[ -e "$CXLDEV/$r/driver" ] || fail "$r unbound above online memory"
	grep -q "stay.* online" "$noconf.err" || fail "the blocks left online are not named"
	grep -q "cxl destroy-region -f $r" "$noconf.err" || fail "no remedy printed"
	code=0
	"$CXL" destroy-region -f "$r" >/dev/null 2>"$noconf.err" || code=$?
	if [ $code = 0 ]; then
		note "the printed remedy finished the job"
	else
		grep -q "stay.* online until reboot\|held by" "$noconf.err" ||
			fail "a refused remedy does not say why"
		[ -e "$CXLDEV/$r/driver" ] || fail "$r torn down above online memory"
	fi
fi
check_dmesg || fail "kernel log"
rm -rf "$noconf" "$noconf".*
finish
