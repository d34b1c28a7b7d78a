#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Behaviour the real-kernel VM tier (test/vm) found and the simulator
# now reproduces: region id reuse, the target errno of an endpoint
# decoder without DPA, switch decoders kept after a teardown, and the
# single passthrough decoder of a one-dport host bridge (qemu1).
. "$(dirname "$0")/common.sh"
CASE=${1:-region-id-reuse}
TOPO=qemu2
case "$CASE" in
qemu1-*) TOPO=qemu1 ;;
esac
sim_enter --profile=legacy --topology=$TOPO -- "$@"

# tear a region down in the documented order and free the DPA
rmregion() { # region, endpoint decoders...
	local r=$1 ep
	shift

	echo 0 >$D/"$r"/commit || fail "decommit $r"
	echo "$r" >$D/decoder0.0/delete_region || fail "delete $r"
	for ep in "$@"; do
		echo 0 >$D/"$ep"/dpa_size || fail "free DPA of $ep"
	done
}

case_region_id_reuse() {
	local r

	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	assert_eq "$r" region0 "first region"
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region1 "next name"
	rmregion "$r" decoder2.0 decoder3.0
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region0 \
		"lowest free id after delete"
	expect EBUSY region1 $D/decoder0.0/create_ram_region
	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion again"
	assert_eq "$r" region0 "region id reused"
	expect ok "$r" /sys/bus/cxl/drivers/cxl_region/bind
	[ -e $DAX/devices/dax0.0 ] || fail "dax0.0 expected: $(names $DAX/devices)"
	[ -e $D/region0/dax_region0 ] || fail "dax_region0 expected"
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region1 "next name"
	# a second region keeps its id when the first goes away
	echo region1 >$D/decoder0.0/create_ram_region || fail "create region1"
	echo region0 >/sys/bus/cxl/drivers/cxl_region/unbind
	echo region0 >$D/decoder0.0/delete_region || fail "delete region0"
	[ -e $D/region1 ] || fail "region1 must stay"
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region0 "hole reused"
	echo region1 >$D/decoder0.0/delete_region || fail "delete region1"
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region0 "still 0"
}

case_target_no_dpa() {
	local r

	r=$(cat $D/decoder0.0/create_ram_region)
	echo "$r" >$D/decoder0.0/create_ram_region || fail "create"
	echo 256 >$D/"$r"/interleave_granularity || fail "granularity"
	echo 2 >$D/"$r"/interleave_ways || fail "ways"
	echo 0x40000000 >$D/"$r"/size || fail "size"
	assert_eq "$(cat $D/decoder2.0/mode)" none "initial mode"
	expect EINVAL decoder2.0 $D/"$r"/target0
	expect ok ram $D/decoder2.0/mode
	expect ENXIO decoder2.0 $D/"$r"/target0
	# left in mode ram by an earlier region: still ENXIO
	expect ok 0x10000000 $D/decoder2.0/dpa_size
	expect EINVAL decoder2.0 $D/"$r"/target0
	expect ok 0 $D/decoder2.0/dpa_size
	assert_eq "$(cat $D/decoder2.0/mode)" ram "mode kept"
	expect ENXIO decoder2.0 $D/"$r"/target0
	expect ok 0x20000000 $D/decoder2.0/dpa_size
	expect ok decoder2.0 $D/"$r"/target0
}

case_switch_decoder_kept() {
	local r

	need cxl
	# x2: decommit and delete keep decoder1.0's ways, granularity and
	# targets; its range is reset (CXLLIST2 of real-kernel-sysfs.md)
	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion"
	assert_eq "$(cat $D/decoder1.0/size)" 0x40000000 "programmed size"
	echo 0 >$D/"$r"/commit || fail "decommit"
	assert_eq "$(cat $D/decoder1.0/size)" 0x40000000 "size after decommit"
	echo "$r" >$D/decoder0.0/delete_region || fail "delete"
	assert_eq "$(cat $D/decoder1.0/interleave_ways)" 2 "ways kept"
	assert_eq "$(cat $D/decoder1.0/interleave_granularity)" 256 "gran kept"
	assert_eq "$(cat $D/decoder1.0/target_list)" 1,0 "targets kept"
	assert_eq "$(cat $D/decoder1.0/size)" 0x0 "size reset"
	assert_eq "$(cat $D/decoder1.0/region)" "" "no region"
	assert_eq "$(cat $D/decoder2.0/interleave_ways)" 2 "endpoint ways kept"
	assert_eq "$(cat $D/decoder2.0/size)" 0x0 "endpoint size reset"
	echo 0 >$D/decoder2.0/dpa_size || fail "free DPA 2.0"
	echo 0 >$D/decoder3.0/dpa_size || fail "free DPA 3.0"
	# x1: the port loses its only endpoint of the region first, so the
	# kernel leaves the host-bridge decoder's range in place too
	r=$(mkregion decoder0.0 $((512 << 20)) decoder2.0) || fail "mkregion x1"
	assert_eq "$(cat $D/decoder1.0/interleave_ways)" 1 "x1 ways"
	assert_eq "$(cat $D/decoder1.0/target_list)" 1 "x1 target"
	rmregion "$r" decoder2.0
	assert_eq "$(cat $D/decoder1.0/interleave_ways) $(cat $D/decoder1.0/target_list)" \
		"1 1" "x1 programming kept"
	assert_eq "$(cat $D/decoder1.0/start) $(cat $D/decoder1.0/size)" \
		"0x390000000 0x20000000" "x1 range kept"
	assert_eq "$(cat $D/decoder1.0/region)" "" "no region"
	assert_eq "$(cxl list -D -d decoder1.0 | jq -r '.[0].decoder')" decoder1.0 \
		"listed without -i"
	# and it is free for the next region
	r=$(mkregion decoder0.0 $((1 << 30)) decoder2.0 decoder3.0) ||
		fail "mkregion after"
	assert_eq "$(cat $D/decoder1.0/region) $(cat $D/decoder1.0/interleave_ways)" \
		"$r 2" "reused"
}

case_qemu1_decoders() {
	local r

	need cxl
	assert_eq "$(count $D/port1/decoder1.*)" 1 "one passthrough decoder"
	[ -e $D/port1/decoder1.0 ] || fail "decoder1.0 expected"
	assert_eq "$(count $D/port1/dport*)" 1 "one root port"
	assert_eq "$(count $D/endpoint2/decoder2.*)" 4 "endpoint decoders"
	r=$(mkregion decoder0.0 $((512 << 20)) decoder2.0) || fail "mkregion"
	assert_eq "$(cat $D/decoder1.0/region)" "$r" "decoder1.0 used"
	rmregion "$r" decoder2.0
	assert_eq "$(cxl list -D -d decoder1.0 | jq -r '.[0].decoder')" decoder1.0 \
		"listed after delete"
	r=$(mkregion decoder0.0 $((512 << 20)) decoder2.0) || fail "mkregion 2"
	assert_eq "$r" region0 "id reused"
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
