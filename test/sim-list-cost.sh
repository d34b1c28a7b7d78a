#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `cxl list -R` costs per memory block beyond upstream's listing
# (run through test/sim/run on the large topology): the region JSON counts
# the online blocks and their zones, which needs each block's state and
# zone, but the path to them is looked up from the memory folder, not from
# /sys down, so the simulator sees a bounded number of lookups (getattrs)
# per block (without that, each block costs over 20), and the attributes
# of a region are read from its folder.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

mapfile -t mds < <("$CXL" list -M | jq -r '.[].memdev' | sort -V | head -n 2)
check "two memdevs" '[ ${#mds[@]} = 2 ]'
r=$("$CXL" create-region -t ram -m "${mds[@]}" --mode=sysram --online=movable \
	2>/dev/null | jq -r .region)
res=$(cat /sys/bus/cxl/devices/$r/resource)
size=$(cat /sys/bus/cxl/devices/$r/size)
blocks=$(( size / $((0x$(cat $MEMORY/block_size_bytes))) ))
check "region of many blocks ($blocks)" '[ "$blocks" -ge 64 ]'

cost() { # command... -> "getattrs reads" of one run
	echo reset >$SIM/stats
	"$@" >"$tmp/out"
	jq -r '"\(.getattrs) \(.reads)"' $SIM/stats
}
read -r g_up r_up < <(cost "$CXL_UPSTREAM_BIN" list -R)
read -r g_ours r_ours < <(cost "$CXL" list -R)
check "listing counts every block online" \
	"[ \"\$(jq '.[0].sysram.memory.online' $tmp/out)\" = $blocks ]"
per_g=$(( (g_ours - g_up) / blocks ))
per_r=$(( (r_ours - r_up) / blocks ))
echo "# $blocks blocks at $res: $g_ours getattrs and $r_ours reads" \
	"(upstream $g_up, $r_up): $per_g getattrs, $per_r reads per block"
check "at most 2 reads per block ($per_r)" '[ "$per_r" -le 2 ]'
check "at most 10 lookups per block ($per_g)" '[ "$per_g" -le 10 ]'

destroy_ok "$r"

# a devdax region: what a region costs beyond its blocks (at most one
# lookup each, they are not there): its attributes are read from its
# folder, not each through the bus's link from /sys down (over 300)
r=$("$CXL" create-region -t ram -m "${mds[@]}" --mode=devdax 2>/dev/null |
	jq -r .region)
read -r g_up r_up < <(cost "$CXL_UPSTREAM_BIN" list -R)
read -r g_ours r_ours < <(cost "$CXL" list -R)
per_region=$(( g_ours - g_up - blocks ))
echo "# devdax region: $g_ours getattrs (upstream $g_up): $per_region" \
	"beyond one per block"
check "a region's own lookups ($per_region) at most 150" '[ "$per_region" -le 150 ]'
destroy_ok "$r"
finish
