#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fidelity capture: guest-capture.sh [OUTDIR]
# (default $CXL_CAPTURE_OUT, else $CXL_VM_OUT)
# Records what the (real or simulated) kernel shows for the current CXL
# topology, before and after a RAM region over every memdev is created
# and bound by raw sysfs writes, as plain files in OUTDIR (jq is slow
# under TCG: fidelity.sh turns them into one JSON document on the host):
#   before.json    upstream `cxl list -BMDPTE`
#   drivers.tsv    bus, device, driver of every cxl and dax bus device
#   errno.tsv      the result of each write of the legacy sequence, and of
#                  the wrong writes real-kernel-sysfs.md lists, in order
#   drivers-after.tsv  the same with the region bound
#   after.json     upstream `cxl list -BMDPTER` with the region bound
#   daxctl.json    upstream `daxctl list -RDM`
#   attrs.tsv      object, attribute name: the region, its dax region and
#                  dax device, its first memory block, the memory folder
#   blocks.tsv     the region's blocks: name, state, valid_zones, node
#   policy         auto_online_blocks and block_size_bytes
# Runs in the VM (test/vm/run) and under the simulator (test/sim/run).
# Exit 0 when captured.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

out=${1:-${CXL_CAPTURE_OUT:-${CXL_VM_OUT:?no output folder}}}
mkdir -p "$out"
[ "${CXL_VM:-}" = 1 ] && modprobe -a dax_cxl device_dax kmem

# (few processes: every exec costs ~0.1 s under TCG)
drivers() { # bus
	local d drv
	for d in "$SYS/bus/$1"/devices/*; do
		[ -e "$d" ] || continue
		drv=
		[ -L "$d/driver" ] && drv=$(readlink "$d/driver")
		printf '%s\t%s\t%s\n' "$1" "${d##*/}" "${drv##*/}"
	done
}
attrs() { # object label, folder
	local f
	for f in "$2"/*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		printf '%s\t%s\n' "$1" "${f##*/}"
	done
}

"$UPCXL" list -BMDPTE >"$out/before.json"
{ drivers cxl; drivers dax; } >"$out/drivers.tsv"
{
	echo "auto_online_blocks $(cat "$MEMDIR/auto_online_blocks")"
	echo "block_size_bytes $(cat "$MEMDIR/block_size_bytes")"
} >"$out/policy"

# Create the region by the legacy sequence, probing on the way the writes
# a kernel refuses (real-kernel-sysfs.md): each result goes to errno.tsv.
try() { # label, value, file
	local e
	if e=$(wr "$2" "$3"); then
		printf '%s\tok\n' "$1"
	else
		printf '%s\t%s\n' "$1" "$e"
	fi >>"$out/errno.tsv"
}
: >"$out/errno.tsv"
mapfile -t mds < <(memdevs)
ways=${#mds[@]}
root=$(ram_root_decoder) || die "no RAM-capable root decoder"
gran=$(cat "$CXLDEV/$root/interleave_granularity")
per=$(ram_size_of "${mds[0]}")
size=$((per * ways))
decs=()
for m in "${mds[@]}"; do
	d=$(free_decoder_of "$m") || die "$m: no free endpoint decoder"
	decs+=("$d")
done
region=$(cat "$CXLDEV/$root/create_ram_region")
R=$CXLDEV/$region
try "create_ram_region wrong name" region99 "$CXLDEV/$root/create_ram_region"
try "create_ram_region" "$region" "$CXLDEV/$root/create_ram_region"
try "size before ways" "$size" "$R/size"
try "ways 3" 3 "$R/interleave_ways"
try "granularity 100" 100 "$R/interleave_granularity"
try "granularity" "$gran" "$R/interleave_granularity"
try "ways" "$ways" "$R/interleave_ways"
try "commit without size" 1 "$R/commit"
try "bind uncommitted" "$region" "$SYS/bus/cxl/drivers/cxl_region/bind"
try "size 16 MiB" $((16 << 20)) "$R/size"
try "size" "$size" "$R/size"
try "size again" "$size" "$R/size"
try "target0 root decoder" "$root" "$R/target0"
try "target0 without DPA" "${decs[0]}" "$R/target0"
try "endpoint mode bogus" bogus "$CXLDEV/${decs[0]}/mode"
for i in "${!decs[@]}"; do
	try "endpoint$i mode ram" ram "$CXLDEV/${decs[$i]}/mode"
	try "endpoint$i dpa_size" "$per" "$CXLDEV/${decs[$i]}/dpa_size"
done
try "commit before targets" 1 "$R/commit"
try "target0" "${decs[0]}" "$R/target0"
[ "$ways" -gt 1 ] && try "target1 same decoder" "${decs[0]}" "$R/target1"
for ((i = 1; i < ways; i++)); do
	try "target$i" "${decs[$i]}" "$R/target$i"
done
try "commit" 1 "$R/commit"
try "commit again" 1 "$R/commit"
try "target0 after commit" "${decs[0]}" "$R/target0"
try "dpa_size 0 after commit" 0 "$CXLDEV/${decs[0]}/dpa_size"
try "auto_online_blocks bogus" bogus "$MEMDIR/auto_online_blocks"
try "bind to cxl_port" "$region" "$SYS/bus/cxl/drivers/cxl_port/bind"
try "bind cxl_region" "$region" "$SYS/bus/cxl/drivers/cxl_region/bind"
try "bind cxl_region again" "$region" "$SYS/bus/cxl/drivers/cxl_region/bind"
[ -L "$R/driver" ] || die "$region not bound: $(cat "$out/errno.tsv")"

dax=$(region_dax "$region") || die "no dax device under $region"
wait_for '[ "$(dax_driver "$dax")" = kmem ]' 10
res=$(cat "$CXLDEV/$region/resource")
size=$(hex2dec "$(cat "$CXLDEV/$region/size")")
mapfile -t blocks < <(blocks_of "$res" "$size")
wait_for "[ -d $MEMDIR/${blocks[-1]} ]" 10

try "block state online_bogus" online_bogus "$MEMDIR/${blocks[0]}/state"
try "device_dax bind while kmem" "$dax" "$SYS/bus/dax/drivers/device_dax/bind"

"$UPCXL" list -BMDPTER >"$out/after.json"
{ drivers cxl; drivers dax; } >"$out/drivers-after.tsv"
"$DAXCTL" list -RDM >"$out/daxctl.json"
{
	attrs region "$CXLDEV/$region"
	attrs dax_region "$(dirname "$(readlink -f "$SYS/bus/dax/devices/$dax")")"
	attrs dax "$SYS/bus/dax/devices/$dax"
	attrs memory_block "$MEMDIR/${blocks[0]}"
	attrs memory "$MEMDIR" | awk -F'\t' '$2 !~ /^memory[0-9]+$/'
} >"$out/attrs.tsv"
for b in "${blocks[@]}"; do
	read -r st <"$MEMDIR/$b/state"
	read -r z <"$MEMDIR/$b/valid_zones"
	n=("$MEMDIR/$b"/node*)
	printf '%s\t%s\t%s\t%s\n' "$b" "$st" "$z" "${n[0]##*/}"
done >"$out/blocks.tsv"
echo "captured $region ($dax, ${#blocks[@]} blocks) in $out"

# Tear down, probing how a kmem device is moved to device_dax on the way.
# Memory auto-onlined into Normal may refuse to go offline (EBUSY): then
# the region is left in place (the VM powers off, the simulator unmounts).
for b in "${blocks[@]}"; do
	read -r st <"$MEMDIR/$b/state"
	[ "$st" = offline ] && continue
	e=$(wr offline "$MEMDIR/$b/state") ||
		{ note "$b: offline: $e: region left in place"; exit 0; }
done
D=$SYS/bus/dax/drivers
try "kmem unbind (blocks offline)" "$dax" "$D/kmem/unbind"
printf 'blocks after kmem unbind\t%s\n' \
	"$(ls -d "$MEMDIR/${blocks[0]}" 2>/dev/null || echo gone)" >>"$out/errno.tsv"
try "device_dax bind without new_id" "$dax" "$D/device_dax/bind"
try "device_dax new_id" "$dax" "$D/device_dax/new_id"
printf 'driver after new_id\t%s\n' "$(dax_driver "$dax")" >>"$out/errno.tsv"
try "device_dax bind after new_id" "$dax" "$D/device_dax/bind"
try "device_dax unbind" "$dax" "$D/device_dax/unbind"
try "device_dax remove_id" "$dax" "$D/device_dax/remove_id"
raw_destroy_region "$region"
printf 'region after delete\t%s\n' \
	"$(ls -d "$CXLDEV/$region" 2>/dev/null || echo gone)" >>"$out/errno.tsv"
exit 0
