#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our cxl on the real kernel's legacy interface (no sysram region drivers,
# no dax state): create a RAM region over every memdev as movable sysram
# while auto_online_blocks=online, as kernel sysram and as devdax;
# reconfigure between them; destroy. After each step the memory blocks are
# checked from /sys, and upstream `cxl list -R -T` / `daxctl list -RDM` must
# agree with our JSON (every upstream key present with the same value).
# Also runs under the simulator (test/sim/run --topology=qemu2).
# Exit 0 pass, 1 fail, 77 when the tool lacks create-region.
set -uo pipefail
# shellcheck source=test/vm/guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

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
}

root=$(ram_root_decoder) || die "no RAM-capable root decoder"

# 0. without -d the tool picks the only RAM-capable root decoder
if ours create-region -n -t ram -m "${mds[@]}"; then
	expect "picked root decoder" "$(jq -r .decoder <<<"$json")" "$root"
fi

# 1. movable sysram over all memdevs while the kernel auto-onlines
ours create-region -t ram -d "$root" --mode=sysram --online=movable \
	-m "${mds[@]}" || finish
region=$(region_of "$json")
note "created $region"
read -r v < <(jq -r '[.mode, .sysram.method, .sysram.online_type,
	.sysram.memory.blocks == .sysram.memory.online,
	.sysram.memory.zones.Movable == .sysram.memory.blocks,
	.interleave_ways] | map(tostring) | join(" ")' <<<"$json")
expect "$region create JSON: mode method online_type all-online all-movable ways" \
	"$v" "sysram legacy online_movable true true $ways"
blocks_are "$region" "online Movable"
expect "auto_online_blocks restored" "$(cat "$MEMDIR/auto_online_blocks")" "$policy"
agree "$region"

# 2. movable -> kernel
ours reconfigure-region "$region" --online=kernel &&
	expect "reconfigure JSON: changed online_type" \
	"$(jq -r '"\(.changed) \(.sysram.online_type)"' <<<"$json")" "true online_kernel"
blocks_are "$region" "online Normal"
agree "$region"

# 3. -> devdax: no block hot-added, the char device exists
if ours reconfigure-region "$region" --mode=devdax; then
	expect "reconfigure JSON: mode" "$(jq -r .mode <<<"$json")" devdax
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

# 4. devdax -> movable sysram; then the same again is a no-op
ours reconfigure-region "$region" --mode=sysram --online=movable
blocks_are "$region" "online Movable"
ours reconfigure-region "$region" --mode=sysram --online=movable &&
	expect "same again: changed" "$(jq -r .changed <<<"$json")" false
agree "$region"

# 5. destroy: everything as before
ours destroy-region -f "$region"
expect "$region gone" "$(ls -d "$CXLDEV/$region" 2>/dev/null)" ""
expect "topology after destroy = before" \
	"$(diff <(echo "$before") <("$UPCXL" list -BMPER) | head -n 20)" ""

# 6. kernel sysram from the start
if ours create-region -t ram -d "$root" --online=kernel -m "${mds[@]}"; then
	region=$(region_of "$json")
	blocks_are "$region" "online Normal"
	agree "$region"
	ours destroy-region -f "$region"
fi

# 7. devdax from the start: no block hot-added
if ours create-region -t ram -d "$root" --mode=devdax -m "${mds[@]}"; then
	region=$(region_of "$json")
	blocks_are "$region" absent
	dax=$(region_dax "$region")
	expect "$region dax driver" "$(dax_driver "$dax")" device_dax
	agree "$region"
	ours destroy-region -f "$region"
fi
expect "auto_online_blocks at the end" "$(cat "$MEMDIR/auto_online_blocks")" "$policy"
expect "topology at the end = before" \
	"$(diff <(echo "$before") <("$UPCXL" list -BMPER) | head -n 20)" ""
finish
