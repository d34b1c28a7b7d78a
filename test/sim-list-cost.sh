#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `cxl list -R` costs per memory block beyond upstream's listing
# (run through test/sim/run on the large topology). The region JSON counts
# the online blocks and their zones. Where the region's node holds its
# blocks and nothing else (and they are many), the counts come from the
# node's zones in /proc/zoneinfo: one read for the region, none per block.
# Anywhere else each block's state and zone are read, but the path to them
# is looked up from the memory folder, not from /sys down, so the
# simulator sees a bounded number of lookups (getattrs) per block
# (without that, each block costs over 20), and the attributes of a
# region are read from its folder. Whichever way, the counts are the
# blocks' own, checked against a count of them here.
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
# memory JSON of region $1 as this script counts it from the blocks
truth() {
	local b lo hi online=0 mov=0 nor=0
	lo=$(( $(cat /sys/bus/cxl/devices/$1/resource) / bs ))
	hi=$(( lo + $(cat /sys/bus/cxl/devices/$1/size) / bs ))
	for ((b = lo; b < hi; b++)); do
		[ "$(cat $MEMORY/memory$b/state)" = online ] || continue
		online=$((online + 1))
		case $(cat $MEMORY/memory$b/valid_zones) in
		Movable*) mov=$((mov + 1)) ;;
		Normal*) nor=$((nor + 1)) ;;
		esac
	done
	jq -cn --argjson b $((hi - lo)) --argjson o $online --argjson m $mov \
		--argjson n $nor '{blocks: $b, online: $o, zones:
		({Movable: $m, Normal: $n} | with_entries(select(.value > 0)))}'
}
listed() { # region, listing file -> its memory JSON without the node
	jq -c --arg r "$1" '.[] | select(.region == $r) | .sysram.memory |
		del(.node)' "$2"
}
# as_blocks LABEL REGION...: the last listing ($tmp/out) counts each
# region's memory as its blocks say
as_blocks() {
	local what=$1 x want
	shift
	for x in "$@"; do
		want=$(truth "$x")
		check "$what: $x as its blocks say ($want)" \
			"[ \"\$(listed $x $tmp/out)\" = '$want' ]"
	done
}
bs=$((0x$(cat $MEMORY/block_size_bytes)))

readdirs() { # command... -> folder listings of one run
	echo reset >$SIM/stats
	"$@" >"$tmp/out"
	jq -r .readdirs $SIM/stats
}
read -r g_up r_up < <(cost "$CXL_UPSTREAM_BIN" list -R)
# all online and alone on its node: the zones' span stands for the node's
# folder, only the dax bus is listed beyond upstream's listings
d_up=$(readdirs "$CXL_UPSTREAM_BIN" list -R)
d_ours=$(readdirs "$CXL" list -R)
echo "# folder listings: $d_ours (upstream $d_up)"
check "all online alone: no listing of the node ($d_ours, upstream $d_up)" \
	'[ $((d_ours - d_up)) -le 1 ]'
read -r g_ours r_ours < <(cost "$CXL" list -R)
check "listing counts every block online" \
	"[ \"\$(jq '.[0].sysram.memory.online' $tmp/out)\" = $blocks ]"
per_g=$(( (g_ours - g_up) / blocks ))
extra_r=$(( r_ours - r_up ))
echo "# $blocks blocks at $res, alone on their node: $g_ours getattrs and" \
	"$r_ours reads (upstream $g_up, $r_up): $per_g getattrs per block," \
	"$extra_r reads in all"
check "no read per block, the zones read once ($extra_r reads in all)" \
	'[ "$extra_r" -le 16 ]'
check "at most 10 lookups per block ($per_g)" '[ "$per_g" -le 10 ]'

# blocks offline and in another zone, by hand: the zones count them too
base=$(( res / bs ))
for i in 3 4 5; do echo offline >$MEMORY/memory$((base + i))/state; done
echo offline >$MEMORY/memory$((base + 9))/state
echo online_kernel >$MEMORY/memory$((base + 9))/state
cost "$CXL" list -R >/dev/null
as_blocks "partly offline, partly Normal" "$r"
echo "# partial: $(listed "$r" "$tmp/out")"

destroy_ok "$r"

# two regions in one node: neither may take the other's blocks as its
# own. All online in one zone, every block of the node is: no read per
# block. One block offline: which one, the zones cannot say, so each
# region is read block by block (2 reads per online block).
r1=$("$CXL" create-region -t ram -m "${mds[@]}" -s $((blocks / 2 * bs)) \
	--mode=sysram --online=movable 2>/dev/null | jq -r .region)
r2=$("$CXL" create-region -t ram -m "${mds[@]}" -s $((blocks / 2 * bs)) \
	--mode=sysram --online=movable 2>/dev/null | jq -r .region)
check "two regions ($r1, $r2)" '[ -n "$r1" ] && [ -n "$r2" ]'
n1=$(jq -r '.[] | select(.region == "'"$r1"'") | .sysram.memory.node' \
	< <("$CXL" list -R))
n2=$(jq -r '.[] | select(.region == "'"$r2"'") | .sysram.memory.node' \
	< <("$CXL" list -R))
check "both on node $n1 ($n2)" '[ "$n1" = "$n2" ] && [ "$n1" != null ]'
read -r g_up r_up < <(cost "$CXL_UPSTREAM_BIN" list -R)
read -r g_ours r_ours < <(cost "$CXL" list -R)
as_blocks "all online" "$r1" "$r2"
extra_r=$(( r_ours - r_up ))
echo "# two regions, one node, all online: $extra_r reads beyond upstream's"
check "all online: no read per block ($extra_r in all)" '[ "$extra_r" -le 32 ]'
b1=$(( $(cat /sys/bus/cxl/devices/$r1/resource) / bs ))
echo offline >$MEMORY/memory$((b1 + 2))/state
read -r g_ours r_ours < <(cost "$CXL" list -R)
as_blocks "one block offline" "$r1" "$r2"
online=$(( $(jq '[.[].sysram.memory.online] | add' "$tmp/out") ))
echo "# two regions, one node: $r_ours reads for $online online blocks"
check "read block by block ($r_ours reads, $online online blocks)" \
	'[ "$r_ours" -ge $((2 * online)) ]'
destroy_ok "$r1" "$r2"

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
