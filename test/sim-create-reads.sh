#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a create reads (run through test/sim/run on the large topology,
# every profile): verifying a block takes its state and its zone, and
# the result JSON reports what the verification saw, so a create reads
# each memory block at most twice in the whole command. The simulator's
# read counter is compared with a devdax create of the same size, which
# reads no block at all: the rest of the command, the constant.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

[ "$("$CXL" list -M | jq length)" -ge 8 ] ||
	do_skip "needs the large topology with 8 memdevs"
mems=$("$CXL" list -M | jq -r '[.[0:8][].memdev] | join(" ")')
bs=$(printf '%d' "0x$(cat $MEMORY/block_size_bytes)")
echo online > $MEMORY/auto_online_blocks

# reads SIZE ARGS...: $n the reads of one create of SIZE, $blocks its
# blocks; the region is destroyed again
reads()
{
	local size=$1 r

	shift
	echo reset > $SIM/stats
	# shellcheck disable=SC2086
	"$CXL" create-region -m $mems -s "$size" "$@" >"$tmp/c" 2>"$tmp/e" ||
		{ bad "create $*: $(tail -n1 "$tmp/e")"; n=0; return 1; }
	n=$(jq .reads $SIM/stats)
	r=$(jq -r .region "$tmp/c")
	blocks=$(($(jq -r .size "$tmp/c") / bs))
	destroy_ok "$r"
}

small=16g
large=32g
reads $large --mode=devdax
base=$n
echo "devdax $large: $n reads (the constant)"
for args in "--mode=sysram --online=movable" "--mode=sysram --online=kernel" \
	"--mode=sysram --online=online" "--mode=sysram --online=offline" \
	"--mode=default"; do
	# shellcheck disable=SC2086
	reads $small $args || continue
	n_small=$n b_small=$blocks
	# shellcheck disable=SC2086
	reads $large $args || continue
	echo "$args: $n_small reads for $b_small blocks, $n for $blocks"
	check "$args: $n reads <= 2 x $blocks blocks + $base + 64" \
		'[ $n -le $((2 * blocks + base + 64)) ]'
	check "$args: $((n - n_small)) more reads for $((blocks - b_small)) more blocks, <= 2 each" \
		'[ $((n - n_small)) -le $((2 * (blocks - b_small))) ]'
done

finish
