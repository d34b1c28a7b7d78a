#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The order of the per-block walks (run through test/sim/run, qemu2,
# legacy): Linux pays less per block when the blocks of a region are
# onlined from the top down, and offlined from the second block up with
# the first one last (bench/README.md has the figures). A create, a move
# to the other zone and a destroy of an 8-block region must write the
# blocks' state in those orders.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
check_prereq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

[ "$CXL_SIM_PROFILE" = legacy ] || do_skip "needs the legacy profile"
m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
bs=$(printf '%d' "0x$(cat $MEMORY/block_size_bytes)")

# order FILE VALUE: the block numbers written VALUE, in write order
order()
{
	sed -n "s|^/sys/devices/system/memory/memory\([0-9]*\)/state $2\$|\1|p" "$1" |
		tr '\n' ' ' | sed 's/ $//'
}
# logged_writes FILE: "PATH VALUE" of each write the tool logged, in order
logged_writes()
{
	sed -n 's/^cxl region: [a-z_]*: write \([^ ]*\) \(.*\)$/\1 \2/p' "$1" |
		sed 's/ *$//'
}
# want_online FIRST N / want_offline FIRST N: the orders the walks take
want_online() { seq $(($1 + $2 - 1)) -1 "$1" | tr '\n' ' ' | sed 's/ $//'; }
want_offline() { { seq $(($1 + 1)) $(($1 + $2 - 1)); echo "$1"; } | tr '\n' ' ' | sed 's/ $//'; }

code=0
"$CXL" create-region -m "$m0" "$m1" -s 1g --mode=sysram --online=movable \
	--debug >"$tmp/c" 2>"$tmp/c.err" || code=$?
check "create: exit 0 (got $code: $(tail -n1 "$tmp/c.err"))" '[ $code = 0 ]'
r=$(jq -r .region "$tmp/c")
first=$(($(jq -r .resource "$tmp/c") / bs))
n=$(($(jq -r .size "$tmp/c") / bs))
logged_writes "$tmp/c.err" >"$tmp/cw"
check "create: $n blocks onlined top down ($(order "$tmp/cw" online_movable))" \
	'[ "$(order "$tmp/cw" online_movable)" = "$(want_online $first $n)" ]'
check "create: the JSON says $n online Movable" \
	'[ "$(jq -r .sysram.memory.zones.Movable "$tmp/c")" = "$n" ]'

code=0
"$CXL" reconfigure-region "$r" --online=kernel --debug >"$tmp/k" 2>"$tmp/k.err" || code=$?
check "to kernel: exit 0 (got $code)" '[ $code = 0 ]'
logged_writes "$tmp/k.err" >"$tmp/kw"
check "to kernel: offline from the second block up, the first last ($(order "$tmp/kw" offline))" \
	'[ "$(order "$tmp/kw" offline)" = "$(want_offline $first $n)" ]'
check "to kernel: online top down ($(order "$tmp/kw" online_kernel))" \
	'[ "$(order "$tmp/kw" online_kernel)" = "$(want_online $first $n)" ]'

code=0
"$CXL" destroy-region -f "$r" --debug >"$tmp/d" 2>"$tmp/d.err" || code=$?
check "destroy: exit 0 (got $code)" '[ $code = 0 ]'
logged_writes "$tmp/d.err" >"$tmp/dw"
check "destroy: offline in the offline order ($(order "$tmp/dw" offline))" \
	'[ "$(order "$tmp/dw" offline)" = "$(want_offline $first $n)" ]'

finish
