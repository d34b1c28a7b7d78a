#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control files: fault injection, busy blocks, counters, state dump.
. "$(dirname "$0")/common.sh"
CASE=${1:-fail}
OPTS=(--profile=legacy --topology=qemu2 --auto-online=offline)

# two runs of the simulator, the same sequence: the same counters
if [ "$CASE" = determinism-runs ] && [ -z "${CXL_SIM_ACTIVE:-}" ]; then
	need jq
	out=$(mktemp -d) || fail mktemp
	trap 'rm -rf "$out"' EXIT
	for i in 1 2; do
		STATS_OUT=$out/$i "$RUN" "${OPTS[@]}" -- "$BASH" "$0" determinism
		rc=$?
		[ $rc = 0 ] || exit $rc
	done
	assert_eq "$(cat "$out/2")" "$(cat "$out/1")" "counters of two runs"
	echo "PASS: $TEST_NAME $CASE"
	exit 0
fi
sim_enter "${OPTS[@]}" -- "$@"

prepare() {
	R=$(cat $D/decoder0.0/create_ram_region)
	echo "$R" >$D/decoder0.0/create_ram_region
	echo 256 >$D/"$R"/interleave_granularity
	echo 2 >$D/"$R"/interleave_ways
	echo 0x40000000 >$D/"$R"/size
	for i in 0 1; do
		ep=decoder$((2 + i)).0
		echo ram >$D/$ep/mode
		echo 0x20000000 >$D/$ep/dpa_size
		echo $ep >$D/"$R"/target$i
	done
}

case_fail() {
	prepare
	expect ok "/sys/bus/cxl/devices/region*/commit 2 ENXIO" $CTL/fail
	assert_eq "$(cat $CTL/fail)" \
		"/sys/bus/cxl/devices/region*/commit 2 ENXIO (2 to go)" "armed rule"
	expect ok 0 $D/"$R"/commit
	expect ENXIO 1 $D/"$R"/commit
	assert_eq "$(cat $D/"$R"/commit)" 0 "failed write has no effect"
	assert_eq "$(cat $CTL/fail)" "" "rule fires once"
	expect ok 1 $D/"$R"/commit
	# every errno name, and bad rules
	for e in EBUSY ENXIO ENOMEM EINVAL ENODEV ENOSPC EIO EAGAIN EPERM; do
		echo "/sys/devices/system/memory/auto_online_blocks 1 $e" >$CTL/fail
		expect $e online $MEM/auto_online_blocks
	done
	expect EINVAL "/sys/x 1 EWHATEVER" $CTL/fail
	expect EINVAL "/sys/x 0 EIO" $CTL/fail
	expect EINVAL "/sys/x" $CTL/fail
	echo "/sys/x 1 EIO" >$CTL/fail
	echo clear >$CTL/fail
	assert_eq "$(cat $CTL/fail)" "" "clear"
}

case_fail_alias() {
	prepare
	echo 1 >$D/"$R"/commit
	# the canonical path, the bus path, the driver path, the node path
	canon=$(readlink -f $D/"$R")/commit
	echo "$canon 1 EIO" >$CTL/fail
	expect EIO 0 $D/"$R"/commit
	echo "/sys/bus/cxl/drivers/cxl_region/bind 1 ENOMEM" >$CTL/fail
	expect ENOMEM "$R" /sys/bus/cxl/drivers/cxl_region/bind
	expect ok "$R" /sys/bus/cxl/drivers/cxl_region/bind
	echo "/sys/bus/memory/devices/memory115/state 1 EAGAIN" >$CTL/fail
	expect EAGAIN online_movable $MEM/memory115/state
	echo "/sys/devices/system/node/node1/memory116/state 1 EPERM" >$CTL/fail
	expect EPERM online_movable /sys/devices/system/node/node1/memory116/state
	echo "/sys/bus/dax/devices/dax0.0/mapping* 1 EBUSY" >$CTL/fail
	expect EBUSY 0x0 $DAX/devices/dax0.0/mapping
	assert_eq "$(cat $CTL/fail)" "" "all fired"
}

case_busy() {
	prepare
	echo 1 >$D/"$R"/commit
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind
	for m in $(region_blocks "$R"); do
		echo online_movable >$MEM/"$m"/state
	done
	echo "memory115 memory118-120" >$CTL/busy || fail "busy write"
	assert_eq "$(cat $CTL/busy | tr '\n' ' ')" "memory115 memory118-120 " \
		"busy list"
	expect EBUSY offline $MEM/memory115/state
	expect EBUSY 0 $MEM/memory119/online
	expect ok offline $MEM/memory114/state
	assert_eq "$(cat $MEM/memory115/state $MEM/memory119/state | tr '\n' ' ')" \
		"online online " "busy blocks stay online"
	expect EINVAL "mem115" $CTL/busy
	expect EINVAL "memory9-3" $CTL/busy
	echo clear >$CTL/busy
	assert_eq "$(cat $CTL/busy)" "" "cleared"
	expect ok offline $MEM/memory115/state
	# boot memory is unmovable
	expect EBUSY offline $MEM/memory2/state
}

case_stats() {
	local s

	echo reset >$CTL/stats
	s=$(cat $CTL/stats)
	assert_eq "$(jq -c . <<<"$s")" \
		'{"opens":0,"reads":0,"writes":0,"readdirs":0,"readlinks":0,"getattrs":0,"hotplug":{"blocks_added":0,"blocks_removed":0,"peak_present":0}}' \
		"reset counters"
	cat $CTL/state $CTL/fail $CTL/busy >/dev/null
	assert_eq "$(jq -c . $CTL/stats)" "$(jq -c . <<<"$s")" \
		"control files are not counted"
	cat $MEM/block_size_bytes >/dev/null
	assert_eq "$(stats '"\(.opens) \(.writes) \(.readlinks)"')" "1 0 0" \
		"one open"
	[ "$(stats .reads)" -ge 1 ] || fail "reads"
	[ "$(stats .getattrs)" -ge 4 ] || fail "getattrs"
	echo reset >$CTL/stats
	ls $D >/dev/null
	assert_eq "$(stats .readdirs)" 1 readdirs
	readlink $D/mem0 >/dev/null
	[ "$(stats .readlinks)" -ge 1 ] || fail readlinks
	echo online >$MEM/auto_online_blocks
	assert_eq "$(stats .writes)" 1 writes
	prepare
	echo 1 >$D/"$R"/commit
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind
	assert_eq "$(stats '"\(.hotplug.blocks_added) \(.hotplug.blocks_removed) \(.hotplug.peak_present)"')" \
		"8 0 8" "hotplug after bind"
	echo reset >$CTL/stats
	assert_eq "$(stats .hotplug.peak_present)" 8 "peak := present on reset"
	for m in $(region_blocks "$R"); do
		echo offline >$MEM/"$m"/state
	done
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/unbind
	assert_eq "$(stats '"\(.hotplug.blocks_added) \(.hotplug.blocks_removed) \(.hotplug.peak_present)"')" \
		"0 8 8" "hotplug after unbind"
}

# the same command sequence gives the same counters, within a run and
# across runs (the second run happens in the "determinism" caller)
sequence() {
	local r

	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) || return 1
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind
	for m in $(region_blocks "$r"); do
		echo online_movable >$MEM/"$m"/state
	done
	cat $MEM/memory11*/valid_zones >/dev/null
	ls -R /sys/bus/cxl/devices/ >/dev/null
	if command -v cxl >/dev/null; then
		cxl list -BMDPTE -R -vvv >/dev/null 2>&1
	fi
	if command -v daxctl >/dev/null; then
		daxctl list -RDM >/dev/null 2>&1
		daxctl offline-memory dax"${r#region}".0 >/dev/null 2>&1 ||
			return 1
	else
		for m in $(region_blocks "$r"); do
			echo offline >$MEM/"$m"/state
		done
	fi
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/unbind
	echo 0 >$D/"$r"/commit
	echo "" >$D/"$r"/target0
	echo "" >$D/"$r"/target1
	echo 0 >$D/decoder2.0/dpa_size
	echo 0 >$D/decoder3.0/dpa_size
	echo "$r" >$D/decoder0.0/delete_region
}

case_determinism() {
	local a b before after

	before=$(sim_state)
	echo reset >$CTL/stats
	sequence || fail "first sequence"
	a=$(cat $CTL/stats)
	after=$(sim_state)
	[ "$before" = "$after" ] || fail "state differs after a full teardown"
	echo reset >$CTL/stats
	sequence || fail "second sequence"
	b=$(cat $CTL/stats)
	assert_eq "$b" "$a" "counters of two identical sequences"
	[ "$(jq .opens <<<"$a")" -gt 50 ] || fail "too few operations counted"
	echo "$a" >"${STATS_OUT:-/dev/null}"
}

case_state() {
	local before after

	before=$(sim_state)
	jq -e 'keys_unsorted == ["profile","topology","block_size","auto_online_blocks","online_policy","dax_drivers_autoprobe","cxl_drivers_autoprobe","decoders","regions","dax_devices","dax_driver_ids","memory","leaked"]' \
		<<<"$before" >/dev/null || fail "state keys"
	assert_eq "$(jq -c '.decoders[] | select(.name == "decoder2.0")' <<<"$before")" \
		'{"name":"decoder2.0","kind":"endpoint","start":0,"size":0,"interleave_ways":null,"interleave_granularity":null,"mode":null,"dpa_resource":null,"dpa_size":0,"region":null,"committed":false}' \
		"endpoint decoder state"
	assert_eq "$(jq -c '.memory.boot' <<<"$before")" \
		'{"node":0,"blocks":16,"online":16}' "boot memory"
	# a failed sequence rolled back by hand leaves the state identical
	prepare
	echo "/sys/bus/cxl/devices/$R/commit 1 ENXIO" >$CTL/fail
	expect ENXIO 1 $D/"$R"/commit
	mid=$(sim_state)
	assert_eq "$(jq -c '.regions[0] | [.name, .targets, .commit, .driver]' <<<"$mid")" \
		'["region0",["decoder2.0","decoder3.0"],0,null]' "region state"
	echo "" >$D/"$R"/target0
	echo "" >$D/"$R"/target1
	echo 0 >$D/decoder2.0/dpa_size
	echo 0 >$D/decoder3.0/dpa_size
	echo "$R" >$D/decoder0.0/delete_region
	after=$(sim_state)
	diff <(echo "$before") <(echo "$after") || fail "state changed"
	[ "$(sim_state)" = "$(sim_state)" ] || fail "state is not stable"
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
