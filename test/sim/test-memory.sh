#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory blocks: zone choice, per-block writes and their errnos, the
# auto_online_blocks/online_policy knobs, block and boot memory sizes.
. "$(dirname "$0")/common.sh"
CASE=${1:-zones}
OPTS=(--topology=qemu2 --auto-online=offline)
case "$CASE" in
auto-movable) OPTS=(--topology=qemu2 --online-policy=auto-movable) ;;
auto-online-kernel) OPTS=(--topology=qemu2 --auto-online=online_kernel) ;;
auto-online-movable) OPTS=(--topology=qemu2 --auto-online=online_movable) ;;
sizes) OPTS=(--topology=qemu2 --block-size=256M --boot-memory=4G
	--memdev-size=1G --auto-online=offline) ;;
esac
sim_enter "${OPTS[@]}" -- "$@"

bound_region() {
	R=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
}

zone() {
	cat $MEM/memory"$1"/valid_zones
}

case_zones() {
	bound_region
	assert_eq "$(zone 114)" "Normal Movable" "fresh node"
	expect ok online_movable $MEM/memory114/state
	assert_eq "$(zone 114) $(cat $MEM/memory114/online)" "Movable 1" 114
	# next to Movable (and not Normal): "online" keeps zones contiguous
	assert_eq "$(zone 115)" "Movable Normal" "offline next to Movable"
	expect ok online $MEM/memory115/state
	assert_eq "$(zone 115)" Movable 115
	expect ok online $MEM/memory118/state
	assert_eq "$(zone 118)" Normal "away from Movable"
	assert_eq "$(zone 117)" "Normal Movable" "next to Normal"
	expect ok online_kernel $MEM/memory120/state
	assert_eq "$(zone 120)" Normal online_kernel
	# writing a state the block is in: EINVAL; "online" 1/0: success
	expect EINVAL online_movable $MEM/memory114/state
	expect EINVAL online $MEM/memory114/state
	expect EINVAL offline $MEM/memory116/state
	expect EINVAL online_keep $MEM/memory116/state
	expect ok 1 $MEM/memory114/online
	expect ok 0 $MEM/memory116/online
	expect EINVAL 2 $MEM/memory116/online
	expect ok 1 $MEM/memory116/online
	assert_eq "$(cat $MEM/memory116/state)" online "online=1"
	expect ok 0 $MEM/memory116/online
	assert_eq "$(cat $MEM/memory116/state)" offline "online=0"
	# reads through the node link, as daxctl does
	assert_eq "$(cat /sys/devices/system/node/node1/memory114/state)" \
		online "node link"
	assert_eq "$(grep MemTotal /sys/devices/system/node/node1/meminfo | awk '{print $4}')" \
		$((4 * 131072)) "node1 MemTotal"
	# boot memory is not offlineable
	expect EBUSY offline $MEM/memory0/state
	assert_eq "$(sim_state | jq -c '[.memory.blocks[] | select(.state == "online") | [.id, .zone]]')" \
		'[[114,"Movable"],[115,"Movable"],[118,"Normal"],[120,"Normal"]]' \
		"state dump"
}

case_policy_switch() {
	bound_region
	p=/sys/module/memory_hotplug/parameters/online_policy
	expect EINVAL bogus $p
	expect ok auto-movable $p
	assert_eq "$(zone 114)" "Movable Normal" "auto-movable default"
	expect ok online $MEM/memory114/state
	assert_eq "$(zone 114)" Movable "auto-movable online"
	expect ok contig-zones $p
	expect ok online $MEM/memory120/state
	assert_eq "$(zone 120)" Normal "contig-zones online"
}

case_auto_movable() {
	bound_region
	assert_eq "$(region_zones "$R")" "Movable:8" "auto-movable"
}

case_auto_online_kernel() {
	bound_region
	assert_eq "$(region_zones "$R")" "Normal:8" "online_kernel"
}

case_auto_online_movable() {
	bound_region
	assert_eq "$(region_zones "$R")" "Movable:8" "online_movable"
	for v in offline online online_kernel online_movable; do
		expect ok $v $MEM/auto_online_blocks
		assert_eq "$(cat $MEM/auto_online_blocks)" $v auto_online_blocks
	done
}

case_sizes() {
	assert_eq "$(cat $MEM/block_size_bytes)" 10000000 block_size_bytes
	assert_eq "$(count "$MEM"/memory[0-9]*)" 16 "4G of boot memory"
	assert_eq "$(cat $D/mem0/ram/size)" 0x40000000 "memdev size"
	R=$(mkregion decoder0.0 $((2 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
	assert_eq "$(region_blocks "$R" | tr '\n' ' ')" \
		"memory57 memory58 memory59 memory60 memory61 memory62 memory63 memory64 " \
		"blocks of 256M"
	assert_eq "$(cat $MEM/memory57/phys_index)" 00000039 phys_index
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
