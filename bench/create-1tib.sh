#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark (prints figures, never fails on time): a 1 TiB sysram region
# (8 memdevs x 128 GiB, 8192 blocks of 128 MiB) on the simulator, per
# kernel interface, against the upstream way, side by side in one
# invocation: create + online movable, reconfigure to kernel, back to
# movable, destroy. Each step's wall time and the simulator's operation
# counters (reads and writes include libcxl's probe flushes).
#
# The upstream way: a region bound to the default driver with
# auto-onlining off, then "daxctl online-memory"; reconfigured with
# "daxctl offline-memory" and "daxctl online-memory [--no-movable]".
#
# Run from the top of the tree after building: bench/create-1tib.sh
# (CXL=... picks another cxl binary; SIZE=128G the memdev size).
set -euo pipefail
cd "$(dirname "$0")/.."
CXL=${CXL:-$PWD/build/cxl/cxl}
SIZE=${SIZE:-128G}
export CXL

# the steps of one row, inside the simulator: $1 label, $2 "cxl" or
# "upstream", $3 more create-region options
# shellcheck disable=SC2016
steps='
S=/sys/kernel/debug/cxl-sim
mems="mem0 mem1 mem2 mem3 mem4 mem5 mem6 mem7"
step() # name command...
{
	local t0 t1 name=$1
	shift
	echo reset > $S/stats
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || echo "($name failed)" >&2
	t1=$(date +%s.%N)
	printf " | %6.2f s %5d w %6d r" "$(awk "BEGIN{print $t1 - $t0}")" \
		"$(jq .writes $S/stats)" "$(jq .reads $S/stats)"
}
dax() { "$CXL" list -RX | jq -r ".[0].daxregion.devices[0].chardev"; }
region() { "$CXL" list -R | jq -r ".[0].region"; }
up_create()
{
	echo offline > /sys/devices/system/memory/auto_online_blocks
	"$CXL" create-region --mode=default -m $mems
	echo online > /sys/devices/system/memory/auto_online_blocks
	daxctl online-memory "$(dax)"
}
up_online() # [--no-movable]
{
	local d
	d=$(dax)
	daxctl offline-memory "$d" && daxctl online-memory "$@" "$d"
}
printf "%-28s" "$1"
if [ "$2" = cxl ]; then
	# shellcheck disable=SC2086
	step create "$CXL" create-region --mode=sysram --online=movable $3 -m $mems
	r=$(region)
	step kernel "$CXL" reconfigure-region "$r" --mode=sysram --online=kernel
	step movable "$CXL" reconfigure-region "$r" --mode=sysram --online=movable
else
	step create up_create
	r=$(region)
	step kernel up_online --no-movable
	step movable up_online
fi
step destroy "$CXL" destroy-region -f "$r"
echo
'

run() # profile label cxl|upstream [create options]
{
	test/sim/run --profile="$1" --topology=large --memdevs=8 \
		--memdev-size="$SIZE" --auto-online=online -- \
		bash -c "$steps" bench "$2" "$3" "${4:-}"
}

printf "%-28s | %-27s | %-27s | %-27s | %s\n" how create "-> kernel" \
	"-> movable" destroy
for p in region-driver dax-state region-driver+dax-state legacy; do
	run "$p" "cxl ($p)" cxl
done
# memory the dax state holds: created through it
run dax-state "cxl (dax-state, --method)" cxl --method=dax-state
run legacy "default + daxctl" upstream
