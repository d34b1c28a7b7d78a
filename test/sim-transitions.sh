#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Minimal transitions (run through test/sim/run, qemu2, every profile):
# reconfigure-region changes a sysram region's online type with the
# fewest sysfs writes its kernel interfaces allow, and only the blocks
# that differ. The table below is each interface's minimum for a region
# of N = 4 memory blocks (auto_online_blocks at "online"):
#
#   legacy         per block: 1 write to online or offline a block, 2 to
#                  move it to the other zone (offline, online again)
#   dax-state      2 for a new online type ("unplugged", then the type);
#                  per block to offline (the state cannot hold memory
#                  offline; a rebind would be 5: unplug, unbind, hold
#                  auto_online_blocks, bind, put it back) and from offline
#                  (the state cannot put offline memory back if the
#                  change fails)
#   region-driver  offline the online blocks, unbind sysram_regionZ from
#                  the kmem region driver, write its online_type, bind it:
#                  online blocks + 3 to movable or online, or per block if
#                  that is fewer; per block to kernel (v1 has no
#                  online_kernel) and to offline
#   both           dax-state's 2 wherever it applies, else region-driver's,
#                  its blocks out with one unplug; a kernel region (the
#                  region driver hot-adds it offline, then auto onlines it
#                  block by block, which the state does not record) takes
#                  region-driver's way
#
# Mode changes, sysram -> devdax: where the default region driver holds
# the region (legacy, dax-state), the dax device moves from kmem to
# device_dax in place: the online blocks offline, kmem unbound (its
# memory removed), device_dax given the device's id: N + 2. The region
# drivers take the region down to cxl_devdax_region: offline, unbind the
# kmem region driver and cxl_sysram_region, bind: N + 3. devdax ->
# sysram rebuilds: N + 5 on legacy and dax-state (drop device_dax's id,
# unbind, hold auto_online_blocks, bind, online each block; the policy's
# hold and its restore are one guard), 4 on the region drivers.
#
# The dax-state column's regions are created with --method=dax-state, so
# that the state holds them; auto creates block by block (a row below).
#
# Each row also checks the blocks are what was asked, and the plan (-n)
# lists exactly the writes the run makes.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
check_prereq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

case $CXL_SIM_PROFILE in
legacy) col=1 ;;
dax-state) col=2 ;;
region-driver) col=3 ;;
region-driver+dax-state) col=4 ;;
*) do_skip "unknown profile '$CXL_SIM_PROFILE'" ;;
esac

# from to: writes on legacy, dax-state, region-driver, both
table="
movable kernel 8 2 8 2
movable offline 4 4 4 4
kernel movable 8 2 7 7
kernel offline 4 4 4 4
online movable 8 2 7 2
online offline 4 4 4 4
offline movable 4 4 3 3
offline kernel 4 4 4 4
offline online 4 4 3 3
movable devdax 6 6 7 7
kernel devdax 6 6 7 7
offline devdax 2 2 3 3
devdax movable 9 9 4 4
"

echo online > $MEMORY/auto_online_blocks
m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')

# the dax-state column: the state must hold the memory, as a create
# through it leaves it (auto creates block by block, which the state
# does not record: those regions change type block by block, legacy's
# column)
via=()
[ "$CXL_SIM_PROFILE" = dax-state ] && via=(--method=dax-state)
# the options that ask for TO: an online type, or devdax
to_args() { # to
	if [ "$1" = devdax ]; then echo --mode=devdax
	else echo "--mode=sysram --online=$1"; fi
}

create() # online-type
{
	# the state cannot hold memory offline: that one the walk makes
	local via=("${via[@]}")
	[ "$1" = offline ] && via=()
	[ "$1" = devdax ] && via=()
	# shellcheck disable=SC2046
	"$CXL" create-region -m "$m0" "$m1" -s 512m $(to_args "$1") \
		${via[@]+"${via[@]}"} >"$tmp/c" 2>"$tmp/ce" ||
		{ bad "create --online=$1: $(tail -n1 "$tmp/ce")"; return 1; }
	region=$(jq -r .region "$tmp/c")
}

want_blocks() # online-type
{
	case $1 in
	movable) check_blocks "$region" online Movable ;;
	kernel) check_blocks "$region" online Normal ;;
	online) check_blocks "$region" online any ;;
	offline) check_blocks "$region" offline ;;
	devdax) check_blocks "$region" absent &&
		[ "$("$CXL" list -R -r "$region" | jq -r '.[0].mode')" = devdax ] ;;
	esac
}

# reconfigure NAME TO WANT-WRITES: one reconfigure, its writes counted
reconfigure()
{
	local name=$1 to=$2 want=$3 planned

	# shellcheck disable=SC2046
	"$CXL" reconfigure-region -n "$region" $(to_args "$to") \
		>"$tmp/plan" 2>/dev/null || true
	planned=$(jq '[.plan[] | select(.write)] | length' "$tmp/plan")
	# shellcheck disable=SC2046
	run_traced "$tmp/out" "$tmp/err" "$CXL" reconfigure-region --debug \
		"$region" $(to_args "$to")
	check "$name: exit 0 ($(tail -n1 "$tmp/err"))" '[ $code = 0 ]'
	check "$name: $want writes (got $nw)" '[ "$nw" = "$want" ]'
	check "$name: blocks $to" 'want_blocks "$to"'
	# a per-block run is one plan entry for all its blocks
	check "$name: the plan's writes are the run's" \
		'[ "$(grep -c ": write " "$tmp/err")" = "$nw" ] &&
		 [ "$planned" -ge 1 ] && [ "$planned" -le "$nw" ]'
}

while read -r from to a b c d; do
	[ -n "$from" ] || continue
	want=$(echo "$a $b $c $d" | cut -d' ' -f$col)
	create "$from" || continue
	reconfigure "$from -> $to" "$to" "$want"
	destroy_ok "$region"
done <<<"$table"

# partial states: only the blocks that differ
create movable
read -r first count <<<"$(region_blocks "$region")"
echo offline > $MEMORY/memory$((first + 1))/state
echo offline > $MEMORY/memory$((first + 2))/state
reconfigure "2 of $count offline -> movable" movable 2
destroy_ok "$region"

create movable
echo offline > $MEMORY/memory$((first + 3))/state
reconfigure "1 of $count offline -> offline" offline 3
destroy_ok "$region"

# a region the walk created (auto on dax-state): the state reads offline
# and records nothing the blocks are, so a rollback through it would
# change the record: its type changes block by block
if [ "$CXL_SIM_PROFILE" = dax-state ]; then
	via=()
	create movable
	reconfigure "auto-created movable -> kernel" kernel 8
	destroy_ok "$region"
	via=(--method=dax-state)
fi

# a dax device left unplugged (a killed change): the type, one write
create movable
dax=$("$CXL" list -RX -r "$region" | jq -r '.[0].daxregion.devices[0].chardev')
if [ -e "/sys/bus/dax/devices/$dax/state" ]; then
	echo unplugged > "/sys/bus/dax/devices/$dax/state"
	reconfigure "unplugged -> kernel" kernel 1
fi
destroy_ok "$region"

# a fault at each write of a transition: exit 1, everything as before
faults() # from to
{
	local from=$1 to=$2 i path nth before code

	create "$from" || return 0
	# shellcheck disable=SC2046
	"$CXL" reconfigure-region --debug "$region" $(to_args "$to") \
		>/dev/null 2>"$tmp/dbg" || true
	sed -n 's/^cxl region: cmd_reconfigure_region: write \([^ ]*\) .*$/\1/p' \
		"$tmp/dbg" >"$tmp/steps"
	destroy_ok "$region"
	for ((i = 1; i <= $(wc -l <"$tmp/steps"); i++)); do
		path=$(sed -n "${i}p" "$tmp/steps")
		nth=$(nth "$path" "$tmp/steps" "$i")
		create "$from" || continue
		before=$(state)
		echo "$path $nth EIO" > $SIM/fail
		code=0
		# shellcheck disable=SC2046
		"$CXL" reconfigure-region "$region" $(to_args "$to") \
			>/dev/null 2>"$tmp/fe" || code=$?
		echo clear > $SIM/fail
		check "$from -> $to, EIO at $path #$nth: exit 1 (got $code)" '[ $code = 1 ]'
		check "$from -> $to, EIO at $path #$nth: state as before" \
			'[ "$(state)" = "$before" ]'
		invariants "$from -> $to, EIO at $path #$nth"
		destroy_ok "$region"
	done
}
faults movable kernel
faults offline movable
faults kernel movable
faults movable devdax

invariants "end"
finish
