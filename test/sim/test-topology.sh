#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cxl_test topology: the firmware-assembled region, interleave
# positions across host bridges and switches, switch decoder programming,
# upstream cxl create-region/destroy-region, and HDM commit order.
. "$(dirname "$0")/common.sh"
CASE=${1:-list}
OPTS=(--profile=legacy --topology=cxl_test)
case "$CASE" in
auto-region | list) OPTS+=(--auto-region) ;;
esac
sim_enter "${OPTS[@]}" -- "$@"
need cxl

# the endpoint decoder <idx> of memdev <mem>
epd() {
	local e

	for e in "$D"/endpoint*; do
		if [ "$(basename "$(readlink -f "$e"/uport)")" = "$1" ]; then
			echo "decoder${e##*endpoint}.${2:-0}"
			return
		fi
	done
}

case_list() {
	local json

	json=$(cxl list -BMDPTE -R -vvv 2>/dev/null) || fail "cxl list"
	assert_eq "$(jq -r '.[0].provider' <<<"$json")" cxl_test provider
	assert_eq "$(cxl list -b cxl_test -M | jq -r '[.[].memdev] | sort | join(" ")')" \
		"mem0 mem1 mem10 mem2 mem3 mem4 mem5 mem6 mem7 mem8 mem9" memdevs
	assert_eq "$(cxl list -M | jq -r '[.[] | "\(.ram_size)/\(.pmem_size)"] | unique | join(" ")')" \
		"1073741824/1073741824 2147483648/null" "memdev partitions"
	assert_eq "$(cxl list -D -d root | jq -r '[.[] | "\(.decoder):\(.interleave_ways):\(.volatile_capable // false):\(.pmem_capable // false)"] | join(" ")')" \
		"decoder0.0:1:true:false decoder0.1:2:true:false decoder0.2:1:false:true decoder0.3:2:false:true decoder0.4:1:false:true decoder0.5:1:true:false" \
		"root decoders"
	# the fifth root decoder is the single-port host bridge's
	assert_eq "$(cxl list -M -d decoder0.4 | jq -r '[.[].memdev] | sort | join(" ")')" \
		"mem8 mem9" "single host bridge memdevs"
	assert_eq "$(cxl list -P -p root | jq -r '[.[]["ports:root0"][] | .port] | length')" \
		3 "host bridges"
	assert_eq "$(cxl list -Pi -p switch | jq -r '[.. | objects | select(.depth == 2) | .port] | length')" \
		5 "switch ports"
	need daxctl
	assert_eq "$(daxctl list -RD | jq -r '.[0] | "\(.id) \(.size) \(.devices[0].chardev) \(.devices[0].mode)"')" \
		"0 536870912 dax0.0 system-ram" "daxctl list"
}

case_auto_region() {
	assert_eq "$(sim_state | jq -c '.regions[0] | [.name, .auto, .commit, .driver, .targets]')" \
		'["region0",true,1,"cxl_region",["decoder4.0","decoder5.0"]]' \
		"auto region"
	assert_eq "$(cxl list -R | jq -r '.[0] | "\(.region) \(.size) \(.interleave_ways) \(.decode_state)"')" \
		"region0 536870912 2 commit" "cxl list -R"
	assert_eq "$(region_zones region0)" "Normal:4" "auto-online"
	assert_eq "$(cat $D/decoder0.0/create_ram_region)" region6 \
		"the auto region took decoder0.0's id"
	# upstream 76.1 destroy-region -f unbinds without offlining: leak
	cxl destroy-region -f region0 2>/dev/null || fail destroy-region
	[ -e $D/region0 ] && fail "region0 still there"
	assert_eq "$(sim_state | jq -r '.leaked[0].size')" 536870912 "leak"
}

case_positions() {
	local r m0 m2 m4 m6 json

	m0=$(epd mem0) m2=$(epd mem2) m4=$(epd mem4) m6=$(epd mem6)
	r=$(cat $D/decoder0.1/create_ram_region)
	echo "$r" >$D/decoder0.1/create_ram_region
	expect EINVAL 512 $D/"$r"/interleave_granularity
	echo 4096 >$D/"$r"/interleave_granularity
	expect EINVAL 1 $D/"$r"/interleave_ways
	echo 4 >$D/"$r"/interleave_ways
	echo $((4 << 28)) >$D/"$r"/size
	for ep in $m0 $m2 $m4 $m6; do
		echo ram >$D/"$ep"/mode
		echo 0x10000000 >$D/"$ep"/dpa_size
	done
	# position 0 must be below host bridge 0 (root target 0)
	expect ENXIO "$m4" $D/"$r"/target0
	expect ENXIO "$m0" $D/"$r"/target1
	expect ok "$m0" $D/"$r"/target0
	expect ok "$m4" $D/"$r"/target1
	expect ok "$m6" $D/"$r"/target3
	expect ok "$m2" $D/"$r"/target2
	expect ok 1 $D/"$r"/commit
	json=$(cxl list -D -d switch -r "$r")
	assert_eq "$(jq -r '[.[] | select(.interleave_ways == 2) | .decoder] | length' <<<"$json")" \
		2 "host bridge decoders interleave 2 ways"
	assert_eq "$(jq -r '[.[] | select(.interleave_ways == 1) | .decoder] | length' <<<"$json")" \
		4 "switch decoders interleave 1 way"
	assert_eq "$(jq -r '[.[] | select(.interleave_ways == 2) | .interleave_granularity] | unique | join(" ")' <<<"$json")" \
		8192 "host bridge granularity"
	for d in $(jq -r '.[] | select(.interleave_ways == 1) | .decoder' <<<"$json"); do
		assert_eq "$(cat $D/"$d"/interleave_granularity)" 16384 \
			"switch granularity"
	done
	assert_eq "$(cxl list -Ri -r "$r" -T | jq -r '[.[0].mappings[] | "\(.position):\(.memdev)"] | sort | join(" ")')" \
		"0:mem0 1:mem4 2:mem2 3:mem6" mappings
}

# x8 over both bridges: positions 0/4 and 2/6 of bridge 0 must use
# different root ports, then different switch ports below them
case_positions_x8() {
	local r i eps

	r=$(cat $D/decoder0.1/create_ram_region)
	echo "$r" >$D/decoder0.1/create_ram_region
	echo 4096 >$D/"$r"/interleave_granularity
	echo 8 >$D/"$r"/interleave_ways
	echo $((8 << 28)) >$D/"$r"/size
	eps=()
	for m in mem0 mem4 mem1 mem6 mem2 mem5 mem3 mem7; do
		eps+=("$(epd $m)")
		echo ram >"$D/$(epd $m)/mode"
		echo 0x10000000 >"$D/$(epd $m)/dpa_size"
	done
	for i in 0 1 2 3 4 5 6; do
		expect ok "${eps[$i]}" $D/"$r"/target$i
	done
	# mem1 at 2 and mem0 at 0 share root port 0: refused when complete
	expect ENXIO "${eps[7]}" $D/"$r"/target7
	[ -e $D/"$r"/target7 ] && assert_eq "$(cat $D/"$r"/target7)" "" target7
	for i in 0 1 2 3 4 5 6; do
		echo "" >$D/"$r"/target$i
	done
	eps=()
	for m in mem0 mem4 mem2 mem6 mem1 mem5 mem3 mem7; do
		eps+=("$(epd $m)")
	done
	for i in 0 1 2 3 4 5 6 7; do
		expect ok "${eps[$i]}" $D/"$r"/target$i
	done
	expect ok 1 $D/"$r"/commit
	assert_eq "$(cxl list -D -d switch -r "$r" | jq -r '[.[] | .interleave_ways] | unique | join(" ")')" \
		2 "every port interleaves 2 ways"
}

case_upstream() {
	local dec json r

	dec=$(cxl list -b cxl_test -D -d root -m mem2 | jq -r \
		'.[] | select(.pmem_capable == true) | select(.nr_targets == 1) | .decoder')
	assert_eq "$dec" decoder0.2 "x1 pmem decoder"
	json=$(cxl create-region -t pmem -d "$dec" -m mem2 2>/dev/null) ||
		fail "create-region"
	r=$(jq -r .region <<<"$json")
	assert_eq "$(jq -r '"\(.size) \(.interleave_ways) \(.decode_state) \(.mappings[0].memdev)"' <<<"$json")" \
		"1073741824 1 commit mem2" "created region"
	assert_eq "$(basename "$(readlink $D/"$r"/driver)")" cxl_region driver
	[ -e $D/"$r"/pmem_"$r" ] || fail "no pmem_$r"
	assert_eq "$(cat "$D/$(epd mem2)/dpa_resource")" 0x40000000 \
		"pmem DPA after the ram partition"
	assert_eq "$(cxl list -D -d switch -r "$r" | jq -r 'length')" 2 \
		"switch decoders programmed"
	cxl destroy-region -f "$r" 2>/dev/null || fail "destroy-region"
	[ -e $D/"$r" ] && fail "$r still there"
	assert_eq "$(cat "$D/$(epd mem2)/dpa_size")" 0x0000000000000000 \
		"DPA freed"
	assert_eq "$(cxl list -R | jq length)" 0 "no regions"
	# x2 across host bridges
	json=$(cxl create-region -t pmem -d decoder0.3 -m mem0 mem4 \
		-s 512M 2>/dev/null) || fail "x2 create-region"
	assert_eq "$(jq -r '[.mappings[] | "\(.position):\(.memdev)"] | sort | join(" ")' <<<"$json")" \
		"0:mem0 1:mem4" "x2 mappings"
}

case_commit_order() {
	local a b

	a=$(cxl create-region -t pmem -d decoder0.2 -m mem3 -s 256M \
		2>/dev/null | jq -r .region)
	b=$(cxl create-region -t pmem -d decoder0.2 -m mem3 -s 256M \
		2>/dev/null | jq -r .region)
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "create-region"
	fi
	e=$(epd mem3)
	e=${e%.*}
	assert_eq "$(cat "$D/endpoint${e#decoder}/decoders_committed")" \
		2 decoders_committed
	# as on 6.12 (seen under the kernel's cxl_test): an HDM decoder
	# resets in any order, but capacity below another allocation is not
	# freed, and after an out-of-order reset no decoder of the port can
	# be allocated again until the ones above it are reset as well
	ea=$(cat $D/"$a"/target0)
	echo "$a" >/sys/bus/cxl/drivers/cxl_region/unbind
	expect ok 0 $D/"$a"/commit
	expect ok "" $D/"$a"/target0
	expect EBUSY 0 $D/"$ea"/dpa_size
	expect EBUSY "$ea" $D/"$a"/target0
	cxl destroy-region -f "$b" 2>/dev/null || fail "destroy $b"
	expect ok 0 $D/"$ea"/dpa_size
	expect ok "$a" $D/decoder0.2/delete_region
	assert_eq "$(cxl list -R | jq length)" 0 "no regions"
}

fn=case_${CASE//-/_}
declare -F "$fn" >/dev/null || fail "unknown case"
$fn
echo "PASS: $TEST_NAME $CASE"
