#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A RAM region by raw sysfs writes (qemu2, legacy): every errno of the
# captured sequence, the dax/kmem chain per auto_online_blocks, and
# daxctl reconfigure-device in both directions.
. "$(dirname "$0")/common.sh"
CASE=${1:-errnos}
case "$CASE" in
bind-offline | daxctl-offline) AUTO=offline ;;
*) AUTO=online ;;
esac
sim_enter --profile=legacy --topology=qemu2 --auto-online=$AUTO -- "$@"

case_errnos() {
	local r

	r=$(cat $D/decoder0.0/create_ram_region)
	assert_eq "$r" region0 "create_ram_region"
	expect EBUSY region99 $D/decoder0.0/create_ram_region
	expect ok "$r" $D/decoder0.0/create_ram_region
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region1 "next name"
	assert_eq "$(cat $D/"$r"/mode)" ram mode
	assert_eq "$(cat $D/"$r"/uuid)" "" uuid
	expect EACCES 0 $D/"$r"/mode
	expect ENXIO 0x40000000 $D/"$r"/size
	expect EINVAL 3 $D/"$r"/interleave_ways
	expect EINVAL 100 $D/"$r"/interleave_granularity
	expect ok 256 $D/"$r"/interleave_granularity
	expect ok 2 $D/"$r"/interleave_ways
	[ -e $D/"$r"/target1 ] || fail "target1 must exist for 2 ways"
	[ -e $D/"$r"/target2 ] && fail "target2 must not exist for 2 ways"
	expect ENXIO 1 $D/"$r"/commit
	expect ENXIO "$r" /sys/bus/cxl/drivers/cxl_region/bind
	expect EINVAL 0x1000000 $D/"$r"/size
	expect ok 0x40000000 $D/"$r"/size
	expect ok 0x40000000 $D/"$r"/size
	expect EBUSY 0x80000000 $D/"$r"/size
	expect EBUSY 1 $D/"$r"/interleave_ways
	assert_eq "$(cat $D/"$r"/resource)" 0x390000000 resource
	expect EINVAL decoder0.0 $D/"$r"/target0
	expect ENODEV decoder9.9 $D/"$r"/target0
	expect EINVAL decoder3.0 $D/"$r"/target0
	expect EINVAL bogus $D/decoder2.0/mode
	expect ok ram $D/decoder2.0/mode
	expect EINVAL 0x20000000 $D/decoder2.1/dpa_size
	expect ok ram $D/decoder2.1/mode
	expect EBUSY 0x20000000 $D/decoder2.1/dpa_size
	expect EINVAL 0x1000000 $D/decoder2.0/dpa_size
	expect ENOSPC 0x40000000 $D/decoder2.0/dpa_size
	expect ok 0x20000000 $D/decoder2.0/dpa_size
	expect EBUSY pmem $D/decoder2.0/mode
	assert_eq "$(cat $D/decoder2.0/dpa_resource) $(cat $D/decoder2.0/dpa_size)" \
		"0x0 0x0000000020000000" "dpa"
	expect ok ram $D/decoder3.0/mode
	expect ok 0x20000000 $D/decoder3.0/dpa_size
	expect ENXIO 1 $D/"$r"/commit
	expect ok decoder2.0 $D/"$r"/target0
	expect EBUSY decoder2.0 $D/"$r"/target1
	expect ok decoder3.0 $D/"$r"/target1
	assert_eq "$(cat $D/decoder1.0/target_list) $(cat $D/decoder1.0/interleave_ways)" \
		"1,0 2" "switch decoder programmed"
	expect ok 1 $D/"$r"/commit
	expect ok 1 $D/"$r"/commit
	assert_eq "$(cat $D/port1/decoders_committed) $(cat $D/endpoint2/decoders_committed)" \
		"1 1" decoders_committed
	expect EBUSY decoder2.0 $D/"$r"/target0
	expect EBUSY "" $D/"$r"/target0
	expect EBUSY 0 $D/decoder2.0/dpa_size
	expect EINVAL bogus $MEM/auto_online_blocks
	expect ENODEV "$r" /sys/bus/cxl/drivers/cxl_port/bind
	expect ENODEV region7 /sys/bus/cxl/drivers/cxl_region/bind
	expect ok "$r" /sys/bus/cxl/drivers/cxl_region/bind
	expect EBUSY "$r" /sys/bus/cxl/drivers/cxl_region/bind
	expect ENODEV dax0.0 $DAX/drivers/device_dax/bind
	expect EBUSY dax0.0 $DAX/drivers/kmem/bind
	# teardown in the documented order leaves nothing behind
	for m in $(region_blocks "$r"); do
		echo offline >$MEM/"$m"/state || fail "offline $m"
	done
	expect ok "$r" /sys/bus/cxl/drivers/cxl_region/unbind
	expect ENODEV "$r" /sys/bus/cxl/drivers/cxl_region/unbind
	expect ok 0 $D/"$r"/commit
	expect ok "" $D/"$r"/target0
	expect ok "" $D/"$r"/target1
	expect ok 0 $D/decoder2.0/dpa_size
	expect ok 0 $D/decoder3.0/dpa_size
	expect ENODEV region7 $D/decoder0.0/delete_region
	expect ok "$r" $D/decoder0.0/delete_region
	[ -e $D/"$r" ] && fail "$r still exists"
	assert_eq "$(sim_state | jq -c '[.leaked, .memory.blocks]')" "[[],[]]" \
		"nothing leaked"
}

# bound to cxl_region: dax_region0 -> dax0.0 -> kmem, blocks per policy
check_chain() {
	local r=$1 want=$2

	[ -d $D/"$r"/dax_region0 ] || fail "no dax_region0"
	assert_eq "$(basename "$(readlink $D/"$r"/dax_region0/driver)")" \
		cxl_dax_region "dax_region driver"
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" kmem \
		"dax0.0 driver"
	assert_eq "$(cat $DAX/devices/dax0.0/target_node) $(cat $DAX/devices/dax0.0/size) $(cat $DAX/devices/dax0.0/resource)" \
		"1 1073741824 0x390000000" "dax0.0 attrs"
	assert_eq "$(region_blocks "$r" | head -1)" memory114 "first block"
	assert_eq "$(count /sys/devices/system/node/node1/memory[0-9]*)" 8 \
		"node1 blocks"
	assert_eq "$(region_zones "$r")" "$want" "zones"
	assert_eq "$(stat -c %F /dev/dax0.0)" "character special file" \
		"/dev/dax0.0 in kmem mode"
}

case_bind_online() {
	local r

	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail "bind"
	check_chain "$r" "Normal:8"
	assert_eq "$(stats '.hotplug.blocks_added') $(stats '.hotplug.peak_present')" \
		"8 8" "hotplug counters"
	# unbinding kmem with online blocks leaks the range
	echo dax0.0 >$DAX/drivers/kmem/unbind || fail "kmem unbind"
	assert_eq "$(sim_state | jq -c '[.leaked[] | [.start, .size, .reason]]')" \
		'[[15300820992,1073741824,"kmem-unbind"]]' "leak"
	assert_eq "$(cat $MEM/memory114/state)" online "leaked block online"
	expect EBUSY dax0.0 $DAX/drivers/kmem/bind
}

case_bind_offline() {
	local r

	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail "bind"
	check_chain "$r" "offline:8"
	assert_eq "$(cat $MEM/memory114/valid_zones)" "Normal Movable" \
		"offline valid_zones"
	# unbind with blocks offline removes them; rebind brings them back
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/unbind || fail "unbind"
	[ -e $MEM/memory114 ] && fail "memory114 still present"
	[ -e $DAX/devices/dax0.0 ] && fail "dax0.0 still present"
	[ -e /dev/dax0.0 ] && fail "/dev/dax0.0 still present"
	[ -e /sys/devices/system/node/node1 ] && fail "node1 still present"
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail "rebind"
	check_chain "$r" "offline:8"
	# kmem rebind picks up the current auto_online_blocks
	echo dax0.0 >$DAX/drivers/kmem/unbind || fail "kmem unbind"
	echo online_movable >$MEM/auto_online_blocks
	echo dax0.0 >$DAX/drivers/kmem/bind || fail "kmem bind"
	assert_eq "$(region_zones "$r")" "Movable:8" "zones after rebind"
	# deleting a region with online memory: accepted, blocks orphaned
	echo "$r" >$D/decoder0.0/delete_region || fail "delete_region"
	[ -e $D/"$r" ] && fail "$r still exists"
	assert_eq "$(cat $MEM/memory114/state)" online "orphaned block"
	assert_eq "$(sim_state | jq -r '.leaked[0].reason')" region-delete \
		"leak reason"
	echo offline >$MEM/memory114/state || fail "offline orphaned block"
}

case_daxctl() {
	local r

	need daxctl
	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail "bind"
	daxctl reconfigure-device --mode=devdax -f dax0.0 >/dev/null 2>&1 ||
		fail "reconfigure to devdax"
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" \
		device_dax "driver after devdax"
	assert_eq "$(stat -c '%F %a' /dev/dax0.0)" "regular empty file 600" \
		"/dev/dax0.0 in devdax mode"
	[ -e $MEM/memory114 ] && fail "blocks must be gone in devdax mode"
	assert_eq "$(daxctl list -d dax0.0 | jq -r '.[0].mode')" devdax mode
	exec 3</dev/dax0.0 || fail "open /dev/dax0.0"
	exec 3<&-
	json=$(daxctl reconfigure-device --mode=system-ram -f dax0.0 2>/dev/null) ||
		fail "reconfigure to system-ram"
	assert_eq "$(jq -r '.[0] | "\(.mode) \(.online_memblocks) \(.total_memblocks)"' <<<"$json")" \
		"system-ram 8 8" "system-ram result"
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" kmem \
		"driver after system-ram"
	assert_eq "$(stat -c %F /dev/dax0.0)" "character special file" \
		"/dev/dax0.0 back to a char node"
	daxctl offline-memory dax0.0 >/dev/null 2>&1 || fail "offline-memory"
	assert_eq "$(region_zones "$r")" "offline:8" "offlined"
	daxctl online-memory dax0.0 >/dev/null 2>&1 || fail "online-memory"
	assert_eq "$(region_zones "$r")" "Movable:8" "onlined movable"
	assert_eq "$(daxctl list -d dax0.0 | jq -r '.[0].movable')" true movable
}

case_daxctl_offline() {
	local r

	need daxctl
	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	echo "$r" >/sys/bus/cxl/drivers/cxl_region/bind || fail "bind"
	daxctl reconfigure-device --mode=devdax dax0.0 >/dev/null 2>&1 ||
		fail "reconfigure offline memory to devdax"
	daxctl reconfigure-device --mode=system-ram dax0.0 >/dev/null 2>&1 ||
		fail "reconfigure to system-ram"
	assert_eq "$(region_zones "$r")" "Movable:8" "daxctl onlines movable"
}

case "$CASE" in
errnos) case_errnos ;;
bind-online) case_bind_online ;;
bind-offline) case_bind_offline ;;
daxctl) case_daxctl ;;
daxctl-offline) case_daxctl_offline ;;
*) fail "unknown case" ;;
esac
echo "PASS: $TEST_NAME $CASE"
