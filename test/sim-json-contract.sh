#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One meaning per key on every kernel (run through test/sim/run, qemu2,
# on every profile): sysram.online_type is what the blocks are, spelled
# the same whichever interface brought them up; sysram.device is there
# exactly when a sysram region device holds the memory; the method a
# create reports is what cxl list then says holds it; and a later cxl
# list shows the same sysram object as the create printed.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

# the online type the blocks show, computed here from .sysram.memory
derived='.sysram.memory as $m | ($m.zones.Movable // 0) as $mv |
	($m.zones.Normal // 0) as $nm |
	if $m.online == 0 then "offline"
	elif $mv == $m.blocks then "online_movable"
	elif $nm == $m.blocks then "online_kernel"
	else "mixed" end'

methods="auto legacy"
case $CXL_SIM_PROFILE in
*dax-state*) methods="$methods dax-state" ;;
esac
case $CXL_SIM_PROFILE in
region-driver*) methods="$methods region-driver" ;;
esac

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')

for method in $methods; do
	for o in movable kernel offline online; do
		name="$method $o"
		"$CXL" create-region -m "$m0" "$m1" --online=$o --method=$method \
			>"$tmp/out" 2>"$tmp/err" || {
			# only what the chooser refuses before any write
			check "$name: refused in one line" \
				'[ "$(wc -l <"$tmp/err")" = 1 ]'
			continue
		}
		r=$(jq -r .region "$tmp/out")
		ot=$(jq -r .sysram.online_type "$tmp/out")
		check "$name: online_type $ot is what the blocks are" \
			'[ "$ot" = "$(jq -r "$derived" "$tmp/out")" ]'
		case $o in
		movable) want=online_movable ;;
		kernel) want=online_kernel ;;
		offline) want=offline ;;
		online) want=$(jq -r "$derived" "$tmp/out") ;;
		esac
		check "$name: online_type $ot = $want" '[ "$ot" = "$want" ]'
		drv=$(jq -r .region_driver "$tmp/out")
		dev=$(jq -r '.sysram.device // ""' "$tmp/out")
		if [ -e "/sys/bus/cxl/devices/sysram_${r}/driver" ]; then
			check "$name: device names the sysram region ($drv)" \
				'[ "$dev" = "sysram_$r" ]'
		else
			check "$name: no device without a sysram region" \
				'[ -z "$dev" ]'
		fi
		if [ "$method" != auto ]; then
			got=$(jq -r .sysram.method "$tmp/out")
			check "$name: method $got is the one asked for" \
				'[ "$got" = "$method" ] || [ "$o" = offline ]'
		fi
		"$CXL" list -R -r "$r" | jq '.[0].sysram' >"$tmp/list"
		check "$name: cxl list shows what create printed" \
			'[ "$(jq -S . "$tmp/list")" = "$(jq -S .sysram "$tmp/out")" ]'
		destroy_ok "$r"
	done
done

finish
