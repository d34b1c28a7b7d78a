#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# region-driver profile: the three-step sysram sequence of the v1 series,
# devdax, teardown (right and wrong order), and one case per wrong order
# with the errno the kernel returns.
. "$(dirname "$0")/common.sh"
CASE=${1:-sequence}
TOPO=qemu2
NAMES=cxl
case "$CASE" in
pmem-to-sysram | upstream-pmem) TOPO=cxl_test ;;
names-region) NAMES=region ;;
esac
sim_enter --profile=region-driver --topology=$TOPO --driver-names=$NAMES \
	-- "$@"

DRV=/sys/bus/cxl/drivers
SYSRAM=$DRV/cxl_sysram_region
KMEM_R=$DRV/cxl_dax_kmem_region
DEVDAX=$DRV/cxl_devdax_region

region() {
	mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0 || fail mkregion
}

sysram_online() {
	local r=$1 type=$2

	expect ok "$r" $SYSRAM/bind
	assert_eq "$(cat $D/sysram_"$r"/online_type)" invalid "initial online_type"
	expect ok "$type" $D/sysram_"$r"/online_type
	expect ok sysram_"$r" $KMEM_R/bind
}

case_sequence() {
	local r

	r=$(region)
	sysram_online "$r" online_movable
	assert_eq "$(readlink -f $D/sysram_"$r")" "$(readlink -f $D/"$r")/sysram_$r" \
		"sysram_regionZ is a child of regionZ"
	[ -d $D/sysram_"$r"/dax_region0 ] || fail "dax_region0 under sysram_$r"
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" kmem \
		"dax0.0 driver"
	assert_eq "$(cat $D/sysram_"$r"/online_type)" online_movable online_type
	assert_eq "$(region_zones "$r")" "Movable:8" "online_movable"
	# the type overrides auto_online_blocks (online here)
	assert_eq "$(cat $MEM/auto_online_blocks)" online auto_online_blocks
	# the documented teardown leaves nothing behind
	for m in $(region_blocks "$r"); do
		echo offline >$MEM/"$m"/state || fail "offline $m"
	done
	expect ok sysram_"$r" $KMEM_R/unbind
	[ -e $DAX/devices/dax0.0 ] && fail "dax0.0 after dax_kmem unbind"
	[ -e $MEM/memory114 ] && fail "blocks after dax_kmem unbind"
	expect ok "$r" $SYSRAM/unbind
	[ -e $D/sysram_"$r" ] && fail "sysram_$r after unbind"
	expect ok 0 $D/"$r"/commit
	assert_eq "$(sim_state | jq -c '.leaked')" "[]" "no leak"
}

case_online_types() {
	local r

	r=$(region)
	sysram_online "$r" offline
	assert_eq "$(region_zones "$r")" "offline:8" "offline type"
	expect ok sysram_"$r" $KMEM_R/unbind
	expect ok online $D/sysram_"$r"/online_type
	expect ok sysram_"$r" $KMEM_R/bind
	assert_eq "$(region_zones "$r")" "Normal:8" "online type (contig-zones)"
}

# wrong orders, one errno each
case_bind_before_commit() {
	local r

	r=$(cat $D/decoder0.0/create_ram_region)
	echo "$r" >$D/decoder0.0/create_ram_region || fail create
	expect ENXIO "$r" $SYSRAM/bind
}

case_devdax_before_commit() {
	local r

	r=$(cat $D/decoder0.0/create_ram_region)
	echo "$r" >$D/decoder0.0/create_ram_region || fail create
	expect ENXIO "$r" $DEVDAX/bind
}

case_kmem_invalid_type() {
	local r

	r=$(region)
	expect ok "$r" $SYSRAM/bind
	expect ENODEV sysram_"$r" $KMEM_R/bind
	[ -e $DAX/devices/dax0.0 ] && fail "dax0.0 must not exist"
}

case_online_type_kernel() {
	local r

	r=$(region)
	expect ok "$r" $SYSRAM/bind
	expect EINVAL online_kernel $D/sysram_"$r"/online_type
	expect EINVAL bogus $D/sysram_"$r"/online_type
	assert_eq "$(cat $D/sysram_"$r"/online_type)" invalid online_type
}

case_region_to_kmem_driver() {
	local r

	r=$(region)
	expect ENODEV "$r" $KMEM_R/bind
}

case_sysram_to_region_driver() {
	local r

	r=$(region)
	expect ok "$r" $SYSRAM/bind
	expect ENODEV sysram_"$r" $DRV/cxl_region/bind
}

case_bind_twice() {
	local r

	r=$(region)
	expect ok "$r" $SYSRAM/bind
	expect EBUSY "$r" $SYSRAM/bind
	expect EBUSY "$r" $DEVDAX/bind
	expect EBUSY "$r" $DRV/cxl_region/bind

}

case_pmem_to_sysram() {
	local dec r

	need cxl
	dec=$(cxl list -b cxl_test -D -d root -m mem0 | jq -r \
		'.[] | select(.pmem_capable == true) | select(.nr_targets == 1) | .decoder')
	r=$(cxl create-region -t pmem -d "$dec" -m mem0 2>/dev/null | jq -r .region)
	if [ -z "$r" ] || [ "$r" = null ]; then
		fail "pmem create-region"
	fi
	assert_eq "$(basename "$(readlink $D/"$r"/driver)")" cxl_region \
		"upstream enable binds cxl_region"
	echo "$r" >$DRV/cxl_region/unbind || fail unbind
	expect ENODEV "$r" $SYSRAM/bind
	expect ENODEV "$r" $DEVDAX/bind
}

case_devdax() {
	local r

	r=$(region)
	expect ok "$r" $DEVDAX/bind
	[ -d $D/"$r"/dax_region0 ] || fail "dax_region0 under $r"
	assert_eq "$(basename "$(readlink $DAX/devices/dax0.0/driver)")" \
		device_dax "dax0.0 driver"
	assert_eq "$(stat -c %F /dev/dax0.0)" "regular empty file" "/dev/dax0.0"
	[ -e $MEM/memory114 ] && fail "devdax must not hot-add memory"
	[ -e $DAX/devices/dax0.0/state ] && fail "no state attribute"
	expect ok "$r" $DEVDAX/unbind
	[ -e /dev/dax0.0 ] && fail "/dev/dax0.0 after unbind"
	true
}

case_wrong_teardown() {
	local r

	r=$(region)
	sysram_online "$r" online_movable
	# unbinding the sysram driver with online memory: devm tears down
	# everything below, the memory stays online and leaks
	expect ok "$r" $SYSRAM/unbind
	[ -e $D/sysram_"$r" ] && fail "sysram_$r survived"
	[ -e $DAX/devices/dax0.0 ] && fail "dax0.0 survived"
	assert_eq "$(region_zones "$r")" "Movable:8" "leaked blocks stay online"
	assert_eq "$(sim_state | jq -r '.leaked[0].reason')" \
		cxl_sysram_region-unbind "leak recorded"
	# the range is still System RAM: a new sysram chain cannot hot-add it
	sysram_online "$r" online_movable
	[ -e $DAX/devices/dax0.0/driver ] && fail "kmem must not bind a leaked range"
	true
}

case_decommit_bound() {
	local r

	r=$(region)
	sysram_online "$r" offline
	# commit=0 first releases the driver, as the kernel does
	expect ok 0 $D/"$r"/commit
	[ -e $D/"$r"/driver ] && fail "still bound after decommit"
	[ -e $D/sysram_"$r" ] && fail "sysram_$r after decommit"
	assert_eq "$(sim_state | jq -c '.leaked')" "[]" "offline memory: no leak"
}

case_names_region() {
	local r

	for d in region_sysram region_daxdev region_dax_kmem; do
		[ -d "$DRV/$d" ] || fail "$d missing"
	done
	[ -d $DRV/cxl_sysram_region ] && fail "cxl_sysram_region present"
	r=$(region)
	expect ok "$r" $DRV/region_sysram/bind
	expect ok online_movable $D/sysram_"$r"/online_type
	expect ok sysram_"$r" $DRV/region_dax_kmem/bind
	assert_eq "$(region_zones "$r")" "Movable:8" zones
}

case_upstream_pmem() {
	local dec r

	need cxl
	dec=$(cxl list -b cxl_test -D -d root -m mem0 | jq -r \
		'.[] | select(.pmem_capable == true) | select(.nr_targets == 1) | .decoder')
	r=$(cxl create-region -t pmem -d "$dec" -m mem0 2>/dev/null | jq -r .region)
	if [ -z "$r" ] || [ "$r" = null ]; then
		fail "pmem create-region"
	fi
	[ -e $D/"$r"/pmem_"$r" ] || fail "pmem_$r missing"
	cxl destroy-region -f "$r" 2>/dev/null || fail "destroy-region"
	[ -e $D/"$r" ] && fail "$r still exists"
	true
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
