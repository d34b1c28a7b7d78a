#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our cxl on a real kernel: create a RAM region over every memdev as
# movable sysram while auto_online_blocks=online, and as devdax; reconfigure
# between them; destroy; kernel-zone memory last, on its own region. After
# each step the memory blocks are checked from /sys, our JSON must be what
# /sys shows, and upstream `cxl list -R -T` / `daxctl list -RDM` must agree
# with it (every upstream key present with the same value). The method each
# kernel must give is exact: 6.12 legacy, 7.3 dax-state (CXL_VM_KERNEL; under
# the simulator the profile's). On a kernel that cannot create RAM regions
# (6.1) the test is the refusal: create-region, real and -n, exit 1 with
# one line and write nothing.
# Memory in ZONE_NORMAL may never go offline again (a slab page lands in
# it): a refused teardown there is an accepted outcome, checked (exit 1,
# the blocks named, nothing changed), and the region stays.
# Also runs under the simulator (test/sim/run --topology=qemu2).
# Exit 0 pass, 1 fail, 77 when the tool lacks create-region.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"
# shellcheck source=test/common
. "$(dirname "$0")/../common"
out=${CXL_VM_OUT:-$(mktemp -d)}

[ -x "${CXL:-}" ] || { echo "SKIP: no cxl build in the guest"; exit 77; }
{ "$CXL" create-region --list-opts 2>/dev/null || true; } | grep -q -- --mode ||
	{ echo "SKIP: $CXL has no create-region --mode"; exit 77; }

# the point of the test: the kernel would online new blocks by itself
orig=$(cat "$MEMDIR/auto_online_blocks")
[ "$orig" = online ] || must online "$MEMDIR/auto_online_blocks"
trap 'echo "$orig" >"$MEMDIR/auto_online_blocks"' EXIT
policy=online
note "kernel $(uname -r), auto_online_blocks=$policy (was $orig)"
mapfile -t mds < <(memdevs)
ways=${#mds[@]}
before=$("$UPCXL" list -BMPER)	# stable order: compared as text

# the region name in a region JSON object (its first "region" key; no jq:
# every jq start costs ~1.5 s under TCG)
region_of() {
	[[ $1 =~ \"region\":\ *\"(region[0-9]+)\" ]] && echo "${BASH_REMATCH[1]}"
}

# run our cxl; stdout is the JSON, kept in $json; exit status checked
ours() { # args...
	local rc
	json=$("$CXL" "$@")
	rc=$?
	echo "\$ cxl $*  -> exit $rc"
	[ $rc = 0 ] || { fail "cxl $* exited $rc"; return 1; }
	return 0
}

# every block of region $1 in "$2" ("online Movable", "online Normal",
# "offline ...") or absent ("absent")
blocks_are() { # region, want
	local res size got
	res=$(cat "$CXLDEV/$1/resource")
	size=$(hex2dec "$(cat "$CXLDEV/$1/size")")
	mapfile -t blks < <(blocks_of "$res" "$size")
	if [ "$2" = absent ]; then
		got=$(for b in "${blks[@]}"; do [ -e "$MEMDIR/$b" ] && echo "$b"; done)
		expect "$1 blocks hot-added (want none)" "$got" ""
		return
	fi
	got=$(block_states "${blks[@]}" | sort | uniq -c | awk '{$1=$1; print}')
	expect "$1 blocks (from /sys)" "$got" "${#blks[@]} $2"
}

# upstream listings agree with ours: every key upstream prints for the
# region, and for its dax region/device, is in ours with the same value
agree() { # region
	local up mine dax diffs
	up=$("$UPCXL" list -R -T -r "$1")
	mine=$("$CXL" list -R -T -r "$1")
	dax=$("$DAXCTL" list -RDM)
	diffs=$(jq -n -r --argjson u "$up" --argjson o "$mine" --argjson d "$dax" '
		($o[0]) as $r
		| ($u[0] | to_entries[] | select($r[.key] != .value)
		   | "cxl list: \(.key): upstream \(.value|tojson) ours \($r[.key]|tojson)"),
		  ($r.daxregion // empty) as $x
		| ($d[] | select(.id == $x.id)) as $dr
		| (["id", "size", "align"][] as $k
		   | select($dr[$k] != $x[$k])
		   | "daxregion.\($k): daxctl \($dr[$k]|tojson) ours \($x[$k]|tojson)"),
		  ($dr.devices[] as $dd
		   | ($x.devices[] | select(.chardev == $dd.chardev)) as $od
		   | ($dd | to_entries[] | select(.key != "mappings")
		      | select($od[.key] != .value)
		      | "\($dd.chardev).\(.key): daxctl \(.value|tojson) ours \($od[.key]|tojson)"))
	' 2>&1)
	expect "$1: upstream cxl list -R / daxctl list -RDM agree with ours" "$diffs" ""
	# the listing's counts (on a node of its own: the kernel's zone
	# accounting) are what the blocks show
	diffs=$(json_matches_sys "$mine")
	expect "$1: cxl list = /sys" "$diffs" ""
}

root=$(ram_root_decoder) || die "no RAM-capable root decoder"

# the state a command must not change: topology, decoders, policies
snapshot() {
	"$UPCXL" list -BMPERD
	cat "$MEMDIR/auto_online_blocks" "$SYS/bus/dax/drivers_autoprobe"
	ls "$MEMDIR"
}

# 6.1: no create_ram_region; a clear refusal that writes nothing
if [ ! -e "$CXLDEV/$root/create_ram_region" ]; then
	note "$root has no create_ram_region: the refusal is the test"
	snap=$(snapshot)
	for dry in -n ""; do
		# shellcheck disable=SC2086
		"$CXL" create-region $dry --debug -t ram -m "${mds[@]}" \
			>"$out/refuse.out" 2>"$out/refuse.dbg"
		rc=$?
		# shellcheck disable=SC2086
		"$CXL" create-region $dry -t ram -m "${mds[@]}" \
			>/dev/null 2>"$out/refuse.err"
		expect "create-region ${dry:-(real)}: exit" "$rc" 1
		expect "create-region ${dry:-(real)}: the message" \
			"$(cat "$out/refuse.err")" \
			"cxl region: cmd_create_region: this kernel cannot create CXL RAM regions (Linux 6.3 or later can)"
		expect "create-region ${dry:-(real)}: writes (--debug)" \
			"$(grep -c ': write ' "$out/refuse.dbg")" 0
		expect "create-region ${dry:-(real)}: nothing on stdout" \
			"$(cat "$out/refuse.out")" ""
	done
	expect "state after the refusals" \
		"$(diff <(echo "$snap") <(snapshot) | head -n 5)" ""
	finish
fi

# the method this kernel must use, an exact value: new memory comes up
# block by block everywhere (the dax state's whole-device online costs
# the kernel more), a change of online type goes through the dax state
# where the kernel has it
case "${CXL_VM_KERNEL:-}:${CXL_SIM_PROFILE:-}" in
7.* | :dax-state) want_up=legacy want_change="dax-state" ;;
6.* | :legacy) want_up=legacy want_change=legacy ;;
*) want_up='' want_change='' ;;
esac
note "expected method: ${want_up:-(not checked here)}, then ${want_change:-(not checked here)}"
method_is() { # what up|change
	local want=$want_up
	[ "$2" = change ] && want=$want_change
	[ -n "$want" ] || return 0
	expect "$1: method" "$(jq -r .sysram.method <<<"$json")" "$want"
}
# our JSON is what /sys shows afterwards (test/common's json_matches_sys)
json_is_sys() { # what
	local why
	why=$(json_matches_sys "$json")
	expect "$1: JSON = /sys" "$why" ""
}

# 0. without -d the tool picks the only RAM-capable root decoder
if ours create-region -n -t ram -m "${mds[@]}"; then
	expect "picked root decoder" "$(jq -r .decoder <<<"$json")" "$root"
fi

# 1. movable sysram over all memdevs while the kernel auto-onlines
ours create-region -t ram -d "$root" --mode=sysram --online=movable \
	-m "${mds[@]}" || finish
region=$(region_of "$json")
note "created $region"
read -r v < <(jq -r '[.mode, .sysram.online_type,
	.sysram.memory.blocks == .sysram.memory.online,
	.sysram.memory.zones.Movable == .sysram.memory.blocks,
	.interleave_ways] | map(tostring) | join(" ")' <<<"$json")
expect "$region create JSON: mode online_type all-online all-movable ways" \
	"$v" "sysram online_movable true true $ways"
method_is "create movable" up
blocks_are "$region" "online Movable"
json_is_sys "create movable"
expect "auto_online_blocks restored" "$(cat "$MEMDIR/auto_online_blocks")" "$policy"
agree "$region"

# 2. -> devdax: no block hot-added, the char device exists
if ours reconfigure-region "$region" --mode=devdax; then
	expect "reconfigure JSON: mode" "$(jq -r .mode <<<"$json")" devdax
	json_is_sys "reconfigure devdax"
fi
blocks_are "$region" absent
dax=$(region_dax "$region")
expect "$region dax driver" "$(dax_driver "$dax")" device_dax
# (the simulator's /dev entries are not character devices)
if [ -z "${CXL_SIM_ACTIVE:-}" ]; then
	expect "/dev/$dax" "$([ -c "/dev/$dax" ] && echo char)" char
else
	expect "/dev/$dax" "$([ -e "/dev/$dax" ] && echo present)" present
fi
agree "$region"

# 3. devdax -> movable sysram; then the same again is a no-op
ours reconfigure-region "$region" --mode=sysram --online=movable &&
	method_is "reconfigure devdax -> movable" up && json_is_sys "reconfigure movable"
blocks_are "$region" "online Movable"
ours reconfigure-region "$region" --mode=sysram --online=movable &&
	expect "same again: changed" "$(jq -r .changed <<<"$json")" false
agree "$region"
# all online, alone on its node: the kernel's zone spans (start_pfn,
# spanned) lie in the range, so the listing does not list the node's
# folder (LeakSanitizer cannot run under ptrace)
node=$("$CXL" list -r "$region" | jq -r '.[0].sysram.memory.node')
if command -v strace >/dev/null; then
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o "$out/list.st" \
		-e trace=openat "$CXL" list -r "$region" >/dev/null
	expect "listing all online: node$node's folder not opened" \
		"$(grep -c "/sys/devices/system/node/node$node\"" "$out/list.st")" 0
fi
# two blocks offline by hand: the listing counts what is online
read -r first count <<<"$(region_blocks "$region")"
for i in 1 2; do echo offline >"$MEMORY/memory$((first + i))/state"; done
agree "$region"
# and it took them from the node's zones: with a zoneinfo one block short
# in Movable, the listing says one block less
bs=$((0x$(cat "$MEMDIR/block_size_bytes")))
awk -v n="Node $node," -v d=$((bs / 4096)) '
	/^Node / { in_zone = ($1 " " $2 == n && $4 == "Movable") }
	in_zone && $1 == "present" { sub(/[0-9]+$/, $2 - d) }
	{ print }' /proc/zoneinfo >"$out/zoneinfo"
mount --bind "$out/zoneinfo" /proc/zoneinfo
expect "listing with a zoneinfo a block short (x86: 4 KiB pages): online" \
	"$("$CXL" list -r "$region" | jq '.[0].sysram.memory.online')" \
	$((count - 3))
umount /proc/zoneinfo
for i in 1 2; do echo online_movable >"$MEMORY/memory$((first + i))/state"; done

# 4. destroy: everything as before
ours destroy-region -f "$region"
expect "$region gone" "$(ls -d "$CXLDEV/$region" 2>/dev/null)" ""
expect "topology after destroy = before" \
	"$(diff <(echo "$before") <("$UPCXL" list -BMPER) | head -n 20)" ""

# 5. devdax from the start: no block hot-added
if ours create-region -t ram -d "$root" --mode=devdax -m "${mds[@]}"; then
	region=$(region_of "$json")
	blocks_are "$region" absent
	dax=$(region_dax "$region")
	expect "$region dax driver" "$(dax_driver "$dax")" device_dax
	agree "$region"
	ours destroy-region -f "$region"
fi
expect "auto_online_blocks after the movable and devdax steps" \
	"$(cat "$MEMDIR/auto_online_blocks")" "$policy"
expect "topology after the movable and devdax steps = before" \
	"$(diff <(echo "$before") <("$UPCXL" list -BMPER) | head -n 20)" ""

# 6. last, on its own region (half the capacity, so a later script still
#    has room): movable, then kernel, then a teardown the kernel may
#    refuse for good
per=$(ram_size_of "${mds[0]}")
# created through the dax state where the kernel has it (auto creates
# block by block, which the state does not record): the state holds the
# memory and changes its type in two writes
via=()
[ "$want_change" = dax-state ] && via=(--method=dax-state)
ours create-region -t ram -d "$root" --online=movable -s $((per / 2 * ways)) \
	"${via[@]}" -m "${mds[@]}" || finish
region=$(region_of "$json")
[ -z "${via[*]}" ] || expect "create --method=dax-state: the state records it" \
	"$(jq -r .sysram.dax_state <<<"$json")" online_movable
"$CXL" reconfigure-region "$region" --online=kernel >"$out/kz.json" \
	2>"$out/kz.err"
rc=$?
json=$(cat "$out/kz.json")
expect "reconfigure --online=kernel: exit" "$rc" 0
expect "reconfigure --online=kernel: JSON changed online_type" \
	"$(jq -r '"\(.changed) \(.sysram.online_type)"' <<<"$json")" "true online_kernel"
method_is "reconfigure movable -> kernel" change
json_is_sys "reconfigure kernel"
expect "--online=kernel: one warning" \
	"$(grep -c 'may keep it from ever going offline again' "$out/kz.err")" 1
blocks_are "$region" "online Normal"
agree "$region"
snap=$(snapshot)
"$CXL" destroy-region -f "$region" 2>"$out/kz.err"
rc=$?
if [ $rc = 0 ]; then
	note "$region (ZONE_NORMAL) went offline and is destroyed"
	expect "$region gone" "$(ls -d "$CXLDEV/$region" 2>/dev/null)" ""
else
	note "$region (ZONE_NORMAL) refused to go offline: $(head -n1 "$out/kz.err")"
	expect "busy destroy: exit" "$rc" 1
	expect "busy destroy: names the blocks and what holds them" \
		"$(grep -c 'memory block.*(memory[0-9].*), held by unmovable kernel allocations (ZONE_NORMAL), stay' \
			"$out/kz.err")" 1
	expect "busy destroy: nothing changed" \
		"$(diff <(echo "$snap") <(snapshot) | head -n 5)" ""
	blocks_are "$region" "online Normal"
fi
expect "auto_online_blocks at the end" "$(cat "$MEMDIR/auto_online_blocks")" "$policy"
finish
