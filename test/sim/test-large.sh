#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The large topology: a 1 TiB x8 region (8192 blocks of 128 MiB) is
# hot-added, listed, onlined block by block and removed in bounded time.
. "$(dirname "$0")/common.sh"
CASE=${1:-1tib}
case "$CASE" in
64-memdevs) OPTS=(--topology=large --memdevs=64 --memdev-size=16G) ;;
*) OPTS=(--topology=large --memdevs=8 --memdev-size=128G
	--auto-online=offline --profile=dax-state) ;;
esac
sim_enter "${OPTS[@]}" -- "$@"

case_1tib() {
	local eps=() e r start n

	for e in "$D"/endpoint*; do
		eps+=("decoder${e##*endpoint}.0")
	done
	assert_eq "${#eps[@]}" 8 endpoints
	assert_eq "$(cat $D/decoder0.0/size)" 0x10000000000 "1 TiB window"
	r=$(mkregion decoder0.0 $((1 << 40)) "${eps[@]}") || fail mkregion
	start=$SECONDS
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
	n=$(count "$MEM"/memory[0-9]*)
	assert_eq "$n" $((8192 + 16)) "blocks after hot-add"
	assert_eq "$(count /sys/devices/system/node/node1/memory[0-9]*)" \
		8192 "node1 blocks"
	assert_eq "$(cat $MEM/memory8192/state) $(cat $MEM/memory16383/state)" \
		"offline offline" "edge blocks"
	for m in $(region_blocks "$r"); do
		echo online_movable >$MEM/"$m"/state
	done
	assert_eq "$(sim_state | jq '[.memory.blocks[] | select(.zone == "Movable")] | length')" \
		8192 "all online movable"
	assert_eq "$(cat $DAX/devices/dax0.0/state)" offline \
		"state keeps the probe-time type"
	expect ok unplugged $DAX/devices/dax0.0/state
	assert_eq "$(count "$MEM"/memory[0-9]*)" 16 "blocks after unplug"
	expect ok online_movable $DAX/devices/dax0.0/state
	assert_eq "$(stats '.hotplug.peak_present')" 8192 peak_present
	for m in $(region_blocks "$r"); do
		echo offline >$MEM/"$m"/state
	done
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/unbind || fail unbind
	assert_eq "$(count "$MEM"/memory[0-9]*)" 16 "blocks after unbind"
	assert_eq "$(stats '"\(.hotplug.blocks_added) \(.hotplug.blocks_removed)"')" \
		"16384 16384" "hotplug counters"
	[ $((SECONDS - start)) -lt 60 ] || fail "too slow: $((SECONDS - start))s"
}

case_64_memdevs() {
	need cxl
	assert_eq "$(cxl list -M | jq length)" 64 memdevs
	assert_eq "$(cxl list -D -d root | jq -r '[.[] | .interleave_ways] | join(" ")')" \
		"1 1 1 1 1 1 1 1 8" "root decoders"
	assert_eq "$(cxl list -D -d root | jq -r '.[8].size')" \
		$((64 * 16 << 30)) "x8 window"
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
