#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (prints figures, never fails on time): create + online a 1 TiB
# sysram region (8 memdevs x 128 GiB, 8192 blocks of 128 MiB) on the
# simulator, per kernel interface, against the upstream way (a region
# bound to the default driver with auto-onlining off, then
# "daxctl online-memory"), and tear it down. Run from the top of the tree
# after building: bench/create-1tib.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CXL=${CXL:-$PWD/build/cxl/cxl}
export CXL

run() # profile label command...
{
	local profile=$1
	shift
	test/sim/run --profile="$profile" --topology=large --memdevs=8 \
		--memdev-size=128G --auto-online=online -- bash -c '
		S=/sys/kernel/debug/cxl-sim
		label=$1; shift
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		st=$(jq -c "{reads, writes, opens, readdirs, readlinks, getattrs}" $S/stats)
		r=$("$CXL" list -R | jq -r ".[0].region")
		echo reset > $S/stats
		t2=$(date +%s.%N)
		"$CXL" destroy-region -f "$r" >/dev/null 2>&1
		t3=$(date +%s.%N)
		td=$(jq -c "{reads, writes}" $S/stats)
		printf "%-34s create %6.2f s %s  destroy %6.2f s %s\n" "$label" \
			"$(awk "BEGIN{print $t1 - $t0}")" "$st" "$(awk "BEGIN{print $t3 - $t2}")" "$td"
	' bench "$@"
}

mems="mem0 mem1 mem2 mem3 mem4 mem5 mem6 mem7"
for p in region-driver dax-state legacy; do
	# shellcheck disable=SC2086
	run "$p" "cxl create-region ($p)" "$CXL" create-region -m $mems
done
# the upstream way: default driver with the policy at offline, then daxctl
# shellcheck disable=SC2016
run legacy "default + daxctl online-memory" bash -c '
	echo offline > /sys/devices/system/memory/auto_online_blocks
	"$CXL" create-region --mode=default -m '"$mems"'
	echo online > /sys/devices/system/memory/auto_online_blocks
	daxctl online-memory "$("$CXL" list -RX | jq -r ".[0].daxregion.devices[0].chardev")"'
