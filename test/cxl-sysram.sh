#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end: create RAM regions with every online policy and as devdax,
# reconfigure them, disable/enable and destroy them, checking the memory
# blocks in /sys each time. Runs under the sysfs simulator, in the QEMU
# guest and on a host with the kernel's cxl_test module (CXL_TEST_MODULE=1
# loads it). Names are discovered through cxl list.
. "$(dirname "$0")/common"

rc=77
set -ex
trap 'err $LINENO cleanup' ERR
check_prereq jq

if [ -n "${CXL_TEST_MODULE:-}" ]; then
	modprobe -r cxl_test || true
	modprobe cxl_test
	udevadm settle || true
fi

bus=$(pick_bus)
[ -n "$bus" ] || do_skip "no CXL bus"
policy=$(cat $MEMORY/auto_online_blocks)
created=()

cleanup()
{
	set +e
	for r in "${created[@]}"; do
		[ -e /sys/bus/cxl/devices/$r ] && "$CXL" destroy-region -f "$r"
	done
	echo "$policy" > $MEMORY/auto_online_blocks
}

# a volatile root decoder and a size that works for a 2-way (else 1-way)
# region, found by asking the tool for a plan (writes nothing)
dec=""
for w in 2 1; do
	size=$((w * (256 << 20)))
	for d in $("$CXL" list -b "$bus" -D -d root |
		   jq -r '.[] | select(.volatile_capable == true) | .decoder'); do
		if "$CXL" create-region -n -d "$d" -w $w -s $size >/dev/null; then
			dec=$d
			ways=$w
			break 2
		fi
	done
done
[ -n "$dec" ] || do_skip "no volatile root decoder with free capacity"

# the kernel default most distributions ship: online at once
echo online > $MEMORY/auto_online_blocks
rc=1

create() # --mode/--online args...
{
	local out
	out=$("$CXL" create-region -d "$dec" -w "$ways" -s "$size" "$@")
	region=$(jq -r .region <<<"$out")
	[ -n "$region" ] && [ "$region" != null ]
	created+=("$region")
	json=$out
	# a global policy changed for the hot-add is always put back
	[ "$(cat $MEMORY/auto_online_blocks)" = online ]
}

destroy()
{
	"$CXL" destroy-region -f "$region"
	[ ! -e /sys/bus/cxl/devices/$region ]
}

# 1. sysram, movable (the default): every block online in ZONE_MOVABLE
create --mode=sysram --online=movable
[ "$(jq -r .mode <<<"$json")" = sysram ]
[ "$(jq -r .sysram.online_type <<<"$json")" = online_movable ]
[ "$(jq -r .decoder <<<"$json")" = "$dec" ]
[ "$(jq -r '.sysram.memory.zones.Movable' <<<"$json")" = \
  "$(jq -r '.sysram.memory.blocks' <<<"$json")" ]
[ "$(jq -r '.mappings | length' <<<"$json")" = "$ways" ]
check_blocks "$region" online Movable
# cxl list says the same, and upstream's keys are unchanged
lj=$("$CXL" list -R -r "$region")
[ "$(jq -r '.[0].sysram.online_type' <<<"$lj")" = online_movable ]
uj=$("$CXL_UPSTREAM_BIN" list -R -r "$region")
[ "$(jq -S '[.[] | del(.type, .daxregion, .mode, .region_driver, .sysram, .decoder)]' <<<"$lj")" = \
  "$(jq -S '[.[] | del(.type, .daxregion)]' <<<"$uj")" ]
destroy

# 2. sysram, kernel: ZONE_NORMAL; the JSON says which interface did it
create --online=kernel
[ "$(jq -r .sysram.online_type <<<"$json")" = online_kernel ]
[ "$(jq -r .sysram.method <<<"$json")" != region-driver ]
check_blocks "$region" online Normal
destroy

# 3. sysram, online (zone chosen by the kernel) and offline
create --online=online
check_blocks "$region" online any
destroy
create --online=offline
check_blocks "$region" offline
[ "$(jq -r .sysram.online_type <<<"$json")" = offline ]
destroy

# 4. devdax: a char device, no memory block hot-added
create --mode=devdax
[ "$(jq -r .mode <<<"$json")" = devdax ]
[ "$(jq -r '.daxregion.devices[0].mode' <<<"$json")" = devdax ]
check_blocks "$region" absent
dax=$(jq -r '.daxregion.devices[0].chardev' <<<"$json")
[ "$(basename "$(readlink /sys/bus/dax/devices/$dax/driver)")" = device_dax ]

# 5. reconfigure: devdax -> movable -> kernel -> devdax, and a no-op
out=$("$CXL" reconfigure-region "$region" --mode=sysram --online=movable)
[ "$(jq -r .changed <<<"$out")" = true ]
[ "$(jq -r .previous.mode <<<"$out")" = devdax ]
check_blocks "$region" online Movable
out=$("$CXL" reconfigure-region "$region" --online=movable)
[ "$(jq -r .changed <<<"$out")" = false ]
out=$("$CXL" reconfigure-region "$region" --online=kernel)
[ "$(jq -r .previous.online_type <<<"$out")" = online_movable ]
check_blocks "$region" online Normal
"$CXL" reconfigure-region "$region" --mode=devdax
check_blocks "$region" absent

# 6. disable / enable with a policy
"$CXL" disable-region "$region"
[ "$("$CXL" list -R -i -r "$region" | jq -r '.[0].state')" = disabled ]
"$CXL" enable-region "$region" --online=movable
check_blocks "$region" online Movable
destroy

cleanup
trap - ERR
echo "cxl-sysram: all checks passed"
exit 0
