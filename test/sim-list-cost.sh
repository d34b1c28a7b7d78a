#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `cxl list -R` costs per memory block beyond upstream's listing
# (run through test/sim/run on the large topology): the region JSON counts
# the online blocks and their zones, which needs each block's state and
# zone, but the path to them is looked up from the memory folder, not from
# /sys down, so the simulator sees a bounded number of lookups (getattrs)
# per block. Without that, each block costs over 20.
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
finish
