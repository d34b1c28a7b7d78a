#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dax-state profile: daxX.Y/state, one case per transition of the v7
# series (and the older "hotplug" spelling).
. "$(dirname "$0")/common.sh"
CASE=${1:-read-online}
AUTO=online
PROFILE=dax-state
ATTR=state
GAP=0
case "$CASE" in
probe-stages) GAP=1500 ;;
read-offline | offline-to-unplugged | offline-to-online) AUTO=offline ;;
hotplug-*) ATTR=hotplug ;;
region-driver) PROFILE=region-driver+dax-state ;;
esac
sim_enter --profile=$PROFILE --topology=qemu2 --auto-online=$AUTO \
	--dax-attr=$ATTR --kmem-probe-gap=$GAP -- "$@"

S=$DAX/devices/dax0.0/$ATTR

bound_region() {
	R=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
	[ -e $S ] || fail "no $ATTR attribute while bound to kmem"
}

blocks_present() {
	count "$MEM"/memory1[12][0-9]
}

case_absent_unless_kmem() {
	R=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo 0 >$DAX/drivers_autoprobe
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
	[ -e $DAX/devices/dax0.0/driver ] && fail "autoprobe 0 must leave it unbound"
	[ -e $S ] && fail "state without kmem"
	echo dax0.0 >$DAX/drivers/kmem/bind || fail "kmem bind"
	[ -e $S ] || fail "no state with kmem"
	echo offline >$MEM/memory114/state
	for m in $(region_blocks "$R"); do
		echo offline >$MEM/"$m"/state 2>/dev/null
	done
	echo dax0.0 >$DAX/drivers/kmem/unbind || fail "kmem unbind"
	[ -e $S ] && fail "state after kmem unbind"
	echo dax0.0 >$DAX/drivers/device_dax/new_id || fail new_id
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" \
		device_dax "new_id binds device_dax"
	[ -e $S ] && fail "state with device_dax"
	true
}

case_read_online() {
	bound_region
	assert_eq "$(cat $S)" online state
	assert_eq "$(region_zones "$R")" "Normal:8" zones
}

case_read_offline() {
	bound_region
	assert_eq "$(cat $S)" offline state
	assert_eq "$(region_zones "$R")" "offline:8" zones
}

case_same_state() {
	bound_region
	expect ok online $S
	assert_eq "$(cat $S)" online state
	expect ok unplugged $S
	expect ok unplugged $S
	assert_eq "$(cat $S)" unplugged state
}

case_online_to_unplugged() {
	bound_region
	expect ok unplugged $S
	assert_eq "$(cat $S)" unplugged state
	assert_eq "$(blocks_present)" 0 "blocks removed"
	[ -e /sys/devices/system/node/node1 ] && fail "node1 must go away"
	assert_eq "$(stats '.hotplug.blocks_removed')" 8 blocks_removed
}

case_offline_to_unplugged() {
	bound_region
	expect ok unplugged $S
	assert_eq "$(blocks_present)" 0 "blocks removed"
}

plug_type() {
	bound_region
	expect ok unplugged $S
	expect ok "$1" $S
	assert_eq "$(cat $S)" "$1" state
	assert_eq "$(region_zones "$R")" "$2" zones
}

case_unplugged_to_online_movable() {
	plug_type online_movable "Movable:8"
}

case_unplugged_to_online_kernel() {
	plug_type online_kernel "Normal:8"
}

case_unplugged_to_online() {
	plug_type online "Normal:8"
}

case_online_to_online_kernel() {
	bound_region
	expect EBUSY online_kernel $S
	expect EBUSY online_movable $S
	assert_eq "$(cat $S)" online state
}

case_offline_to_online() {
	bound_region
	expect EBUSY online $S
	assert_eq "$(region_zones "$R")" "offline:8" zones
}

case_write_offline() {
	bound_region
	expect EINVAL offline $S
	expect EINVAL bogus $S
	expect EINVAL unplug $S
	assert_eq "$(cat $S)" online state
}

case_unplug_busy() {
	bound_region
	expect ok unplugged $S
	expect ok online_movable $S
	echo memory117 >$CTL/busy
	before=$(sim_state)
	expect EBUSY unplugged $S
	assert_eq "$(cat $S)" online_movable state
	assert_eq "$(region_zones "$R")" "Movable:8" "all back online"
	[ "$(sim_state)" = "$before" ] || fail "state changed by a failed unplug"
	echo clear >$CTL/busy
	expect ok unplugged $S
}

case_hotplug_spelling() {
	bound_region
	[ -e $DAX/devices/dax0.0/state ] && fail "no state attribute in this spelling"
	assert_eq "$(cat $S)" online hotplug
	expect EINVAL unplugged $S
	expect EINVAL online_kernel $S
	expect ok unplug $S
	assert_eq "$(cat $S)" unplugged hotplug
	expect ok online_movable $S
	assert_eq "$(region_zones "$R")" "Movable:8" zones
	expect EBUSY online $S
}

case_region_driver() {
	R=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo "$R" >/sys/bus/cxl/drivers/cxl_sysram_region/bind || fail sysram
	echo offline >$D/sysram_"$R"/online_type
	echo sysram_"$R" >/sys/bus/cxl/drivers/cxl_dax_kmem_region/bind ||
		fail dax_kmem
	assert_eq "$(cat $S)" offline state
	expect EBUSY online_movable $S
	expect ok unplugged $S
	expect ok online_movable $S
	assert_eq "$(region_zones "$R")" "Movable:8" zones
}

# kmem's probe in stages, as on Linux 7.3: the dax device unbound first
# (asynchronous probe), then the driver link and the blocks, "state" (a
# dev_groups attribute) only once the probe returned; a bind request waits
# for the device lock, so for the whole probe
case_probe_stages() {
	R=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail mkregion
	echo "$R" >/sys/bus/cxl/drivers/cxl_region/bind || fail bind
	[ -e $DAX/devices/dax0.0 ] || fail "no dax device after the bind"
	[ -e $DAX/devices/dax0.0/driver ] && fail "bound at once (want later)"
	for _ in $(seq 40); do
		[ -e $DAX/devices/dax0.0/driver ] && break
		sleep 0.1
	done
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" kmem \
		"driver link before the probe is done"
	assert_eq "$(blocks_present)" 8 "blocks before the probe is done"
	[ -e $S ] && fail "state before the probe is done"
	start=$(date +%s%N)
	expect EBUSY dax0.0 $DAX/drivers/kmem/bind
	took=$((($(date +%s%N) - start) / 1000000))
	[ $took -ge 1000 ] || fail "bind did not wait for the probe (${took} ms)"
	[ -e $S ] || fail "no state once the bind returned"
	assert_eq "$(cat $S)" online state
	# with nobody asking, the probe finishes on its own
	echo offline >$S 2>/dev/null && fail "offline accepted"
	expect ok unplugged $S
	echo dax0.0 >$DAX/drivers/kmem/unbind || fail "kmem unbind"
	echo dax0.0 >$DAX/drivers/kmem/bind || fail "kmem bind"
	[ -e $S ] && fail "state at once after a bind"
	sleep 2
	[ -e $S ] || fail "state never came"
	true
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
