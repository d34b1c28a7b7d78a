#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end: create RAM regions with every online policy and as devdax,
# reconfigure them, disable/enable and destroy them, checking the memory
# blocks in /sys each time. Runs under the sysfs simulator, in the QEMU
# guest and on a host with the kernel's cxl_test module (CXL_TEST_MODULE=1
# loads it). Names are discovered through cxl list.
# Memory in ZONE_NORMAL (--online=kernel, and --online=online on kernels
# that pick Normal) may never go offline again on a real kernel: it comes
# last, each on its own region, and a refused teardown is an accepted
# outcome that is checked (exit 1, the blocks named, the region intact);
# the steps after it are then left out. On cxl_test's topology (the mock
# or the simulator's model of it) cxl-sysram-mock.sh adds every RAM window
# and interleave width, the auto-assembled region, memdevs in the wrong
# order, steps the kernel refuses and the listing; where the mock's
# windows have no memory behind them, only --online=offline and devdax
# are used.
. "$(dirname "$0")/common"
. "$(dirname "$0")/cxl-sysram-mock.sh"
# check_dmesg
. "$(dirname "$0")/vm/guest-lib.sh"

rc=77
set -Eex
trap 'err $LINENO cleanup' ERR
check_prereq jq

policy=$(cat $MEMORY/auto_online_blocks)
if [ -n "${CXL_TEST_MODULE:-}" ]; then
	dmesg_mark
	# nothing of the mock may come online before it is known whether
	# memory is behind its windows
	echo offline > $MEMORY/auto_online_blocks
	modprobe -r cxl_test || true
	modprobe cxl_test
	# from here on the module is there: a failure is no skip
	rc=1
	udevadm settle || true
	cxl_test_settle
fi

bus=$(pick_bus)
[ -n "$bus" ] || do_skip "no CXL bus"
created=()
provider=$("$CXL" list -B | jq -r --arg b "$bus" '.[] | select(.bus == $b) | .provider')
backed=1
auto_regions=
if [ "$provider" = cxl_test ]; then
	# real cxl_test: is there memory behind its windows?
	[ -n "${CXL_SIM_ACTIVE:-}" ] || cxl_windows_backed "$bus" || backed=0
	auto_regions=$("$CXL" list -b "$bus" -R |
		jq -r '.[] | select(.decode_state == "commit") | .region')
fi

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
why=$(mktemp)
for w in 2 1; do
	size=$((w * (256 << 20)))
	for d in $("$CXL" list -b "$bus" -D -d root |
		   jq -r '.[] | select(.volatile_capable == true) | .decoder'); do
		if "$CXL" create-region -n -t ram -d "$d" -w $w -s $size >/dev/null 2>"$why"; then
			dec=$d
			ways=$w
			break 2
		fi
	done
done
if [ -z "$dec" ]; then
	grep -q "cannot create CXL RAM regions" "$why" &&
		do_skip "this kernel cannot create CXL RAM regions"
	do_skip "no volatile root decoder with free capacity"
fi

# 0. Nothing said of the memory (no --mode, --online or --method): what
#    upstream's cxl does. A pmem-only root decoder gives a pmem region
#    (the type from the decoder); a RAM one memory exactly as the kernel's
#    policy leaves it, which daxctl then takes over as after upstream's
#    cxl. (On a decoder that can also hold pmem, upstream's rule makes
#    the region pmem: -t ram asks for RAM without saying more.)
rc=1
pdec=$("$CXL" list -b "$bus" -D -d root | jq -r '[.[] |
	select(.pmem_capable == true and .volatile_capable != true)][0].decoder // empty')
if [ -n "$pdec" ]; then
	out=$("$CXL" create-region -d "$pdec" -w 1)
	region=$(jq -r .region <<<"$out")
	created+=("$region")
	[ "$("$CXL" list -R -r "$region" | jq -r '.[0].type')" = pmem ]
	[ "$(jq -r .decode_state <<<"$out")" = commit ]
	"$CXL" destroy-region -f "$region"
	[ ! -e /sys/bus/cxl/devices/$region ]
fi
t=
[ "$("$CXL" list -b "$bus" -D -d "$dec" | jq -r '.[0].pmem_capable // false')" = true ] && t="-t ram"
for kp in offline online_movable; do
	[ $backed = 1 ] || [ $kp = offline ] || continue
	echo $kp > $MEMORY/auto_online_blocks
	# shellcheck disable=SC2086 # -t ram or nothing
	out=$("$CXL" create-region -d "$dec" -w "$ways" -s "$size" $t)
	region=$(jq -r .region <<<"$out")
	created+=("$region")
	[ "$(jq -r .mode <<<"$out")" = sysram ]
	[ "$(jq -r .region_driver <<<"$out")" = cxl_region ]
	if [ $kp = offline ]; then
		check_blocks "$region" offline
		[ "$(jq -r .sysram.online_type <<<"$out")" = offline ]
		dax=$(jq -r '.daxregion.devices[0].chardev' <<<"$out")
		"$DAXCTL" reconfigure-device -m devdax "$dax" >/dev/null
		[ "$(basename "$(readlink /sys/bus/dax/devices/$dax/driver)")" = device_dax ]
		check_blocks "$region" absent
	else
		check_blocks "$region" online Movable
		[ "$(jq -r .sysram.online_type <<<"$out")" = online_movable ]
	fi
	"$CXL" destroy-region -f "$region"
	[ ! -e /sys/bus/cxl/devices/$region ]
done
echo offline > $MEMORY/auto_online_blocks

if [ $backed = 0 ]; then
	# (auto_online_blocks stays offline)
	echo "cxl-sysram: nothing behind the mock's windows: only --online=offline and devdax"
	rc=1
	mock_steps offline devdax
	cleanup
	set -e
	finish_cxl_test
	trap - ERR
	echo "cxl-sysram: all checks passed (offline and devdax only)"
	exit 0
fi

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
# cxl list says the same, and upstream's keys are unchanged (type,
# daxregion and locked are filled in where an older upstream lacks them)
lj=$("$CXL" list -R -r "$region")
[ "$(jq -r '.[0].sysram.online_type' <<<"$lj")" = online_movable ]
uj=$("$CXL_UPSTREAM_BIN" list -R -r "$region")
[ "$(jq -S '[.[] | del(.type, .daxregion, .locked, .mode, .region_driver, .sysram, .decoder)]' <<<"$lj")" = \
  "$(jq -S '[.[] | del(.type, .daxregion, .locked)]' <<<"$uj")" ]
destroy

# 2. sysram, offline
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
# held open (the real character device on a kernel), the device refuses
# to become memory and names the holder; closed, it goes
exec 3<"/dev/$dax"
if "$CXL" reconfigure-region "$region" --mode=sysram --online=movable \
	>/dev/null 2>"$why"; then
	echo "cxl-sysram: reconfigure of an open /dev/$dax went through"
	false
fi
grep -q "/dev/$dax is in use by pid $$" "$why"
exec 3<&-

# 5. reconfigure: devdax -> movable -> kernel -> devdax, and a no-op
out=$("$CXL" reconfigure-region "$region" --mode=sysram --online=movable)
[ "$(jq -r .changed <<<"$out")" = true ]
[ "$(jq -r .previous.mode <<<"$out")" = devdax ]
check_blocks "$region" online Movable
out=$("$CXL" reconfigure-region "$region" --online=movable)
[ "$(jq -r .changed <<<"$out")" = false ]
"$CXL" reconfigure-region "$region" --mode=devdax
check_blocks "$region" absent

# 6. disable / enable with a policy
"$CXL" disable-region "$region"
[ "$("$CXL" list -R -i -r "$region" | jq -r '.[0].state')" = disabled ]
"$CXL" enable-region "$region" --online=movable
check_blocks "$region" online Movable
destroy

# 7. ZONE_NORMAL, last: each on its own region; the kernel may keep it
stuck=""
# teardown ZONE: destroy, or the kernel's refusal, checked
teardown()
{
	local err
	err=$(mktemp)
	if "$CXL" destroy-region -f "$region" 2>"$err"; then
		[ ! -e /sys/bus/cxl/devices/$region ]
		rm -f "$err"
		return 0
	fi
	cat "$err"
	grep -q "(memory[0-9][0-9 memory]*), held by unmovable kernel allocations (ZONE_NORMAL), stay" "$err"
	[ -e /sys/bus/cxl/devices/$region ]
	check_blocks "$region" online "$1"
	stuck=$region
	rm -f "$err"
}

# movable -> kernel: the JSON says which interface did it
create --online=movable
out=$("$CXL" reconfigure-region "$region" --online=kernel)
[ "$(jq -r .previous.online_type <<<"$out")" = online_movable ]
[ "$(jq -r .sysram.online_type <<<"$out")" = online_kernel ]
[ "$(jq -r .sysram.method <<<"$out")" != region-driver ]
check_blocks "$region" online Normal
teardown Normal
if [ -z "$stuck" ]; then
	create --online=kernel
	[ "$(jq -r .sysram.online_type <<<"$json")" = online_kernel ]
	[ "$(jq -r .sysram.method <<<"$json")" != region-driver ]
	check_blocks "$region" online Normal
	teardown Normal
fi
if [ -z "$stuck" ]; then
	# the zone is the kernel's choice
	create --online=online
	check_blocks "$region" online any
	teardown any
fi
[ -z "$stuck" ] ||
	echo "cxl-sysram: $stuck stays online in ZONE_NORMAL (kernel refused the offline)"

# 8. cxl_test's topology (cxl-sysram-mock.sh), kernel-zone types last;
#    left out when kernel-zone memory above stayed online
if [ "$provider" = cxl_test ] && [ -z "$stuck" ]; then
	mock_steps movable offline devdax online kernel
fi

cleanup
set -e
finish_cxl_test
trap - ERR
echo "cxl-sysram: all checks passed"
exit 0
