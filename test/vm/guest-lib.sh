# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the guest scripts of the VM tier (sourced). They use only
# sysfs, upstream cxl/daxctl and jq, so they also run under the simulator.

SYS=${SYS:-/sys}
CXLDEV=$SYS/bus/cxl/devices
MEMDIR=$SYS/devices/system/memory
UPCXL=${UPCXL:-/usr/bin/cxl}
DAXCTL=${DAXCTL:-/usr/bin/daxctl}

nfail=0
note() { echo "# $*"; }
fail() { echo "FAIL: $*"; nfail=$((nfail + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }
expect() { # what, got, want
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $2"
	else
		fail "$1: got '$2', want '$3'"
	fi
}
# exit status of the script from the failures counted so far
finish() {
	if [ $nfail -gt 0 ]; then
		echo "$nfail check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

# write VALUE to FILE; on failure print the error text (strerror) and
# return 1
wr() { # value, file
	local err
	if err=$( { printf '%s\n' "$1" >"$2"; } 2>&1); then
		return 0
	fi
	echo "${err##*: }"
	return 1
}
# a write that must succeed
must() { # value, file
	local e
	e=$(wr "$1" "$2") || die "write '$1' > $2: $e"
}
# a write that must fail with the given error text
refuse() { # value, file, error text
	local e
	if e=$(wr "$1" "$2"); then
		fail "write '$1' > $2 succeeded, want '$3'"
	else
		expect "write '$1' > ${2#"$SYS"/}" "$e" "$3"
	fi
}

# poll a shell condition, up to $2 seconds (default 10)
wait_for() { # condition, seconds
	local i n=$(( ${2:-10} * 10 ))
	for ((i = 0; i < n; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	eval "$1"
}

hex2dec() { printf '%d' "$1"; }

# memory blocks of a physical range: "memoryN ..." (N = address / block)
blocks_of() { # resource (hex or dec), size (bytes)
	local bs first n i
	bs=$(hex2dec "0x$(cat "$MEMDIR/block_size_bytes")")
	first=$(( $(hex2dec "$1") / bs ))
	n=$(( $2 / bs ))
	for ((i = first; i < first + n; i++)); do
		echo "memory$i"
	done
}

# "state zone" of each block, one per line, e.g. "online Movable"
block_states() { # blocks...
	local b st z
	for b in "$@"; do
		read -r st <"$MEMDIR/$b/state"
		read -r z <"$MEMDIR/$b/valid_zones"
		echo "$st $z"
	done
}

# the memdevs (sorted), the endpoint of each, its first endpoint decoder
# without DPA, the RAM root decoder: from sysfs (jq is slow under TCG)
memdevs() {
	local d
	for d in "$CXLDEV"/mem*; do
		[ -e "$d" ] && echo "${d##*/}"
	done | sort -V
}
endpoint_of() { # memdev -> endpointN
	local e u
	for e in "$CXLDEV"/endpoint*; do
		u=$(readlink "$e/uport")
		[ "${u##*/}" = "$1" ] && { echo "${e##*/}"; return 0; }
	done
	return 1
}
free_decoder_of() { # memdev -> decoderN.M
	local ep d v
	ep=$(endpoint_of "$1") || return 1
	for d in "$CXLDEV/$ep"/decoder*; do
		read -r v <"$d/dpa_size"
		[ "$((v))" = 0 ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}
ram_size_of() { local v; read -r v <"$CXLDEV/$1/ram/size"; echo $((v)); }
ram_root_decoder() {
	local d t c
	for d in "$CXLDEV"/decoder*; do
		read -r t <"$d/devtype" 2>/dev/null || continue
		[ "$t" = cxl_decoder_root ] || continue
		read -r c <"$d/cap_ram" 2>/dev/null || continue
		[ "$c" = 1 ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# Create, commit and bind a RAM region over all memdevs by raw sysfs writes
# (the legacy sequence, no tool). Prints the region name.
raw_create_region() {
	local root ways gran per size region i dec m
	local -a mds decs
	mapfile -t mds < <(memdevs)
	ways=${#mds[@]}
	[ "$ways" -gt 0 ] || die "no memdevs"
	root=$(ram_root_decoder) || die "no RAM-capable root decoder"
	gran=$(cat "$CXLDEV/$root/interleave_granularity")
	per=
	for m in "${mds[@]}"; do
		i=$(ram_size_of "$m")
		[ -z "$per" ] || [ "$i" -lt "$per" ] && per=$i
	done
	size=$((per * ways))
	region=$(cat "$CXLDEV/$root/create_ram_region")
	must "$region" "$CXLDEV/$root/create_ram_region"
	must "$gran" "$CXLDEV/$region/interleave_granularity"
	must "$ways" "$CXLDEV/$region/interleave_ways"
	must "$size" "$CXLDEV/$region/size"
	for m in "${mds[@]}"; do
		dec=$(free_decoder_of "$m") || die "$m: no free endpoint decoder"
		must ram "$CXLDEV/$dec/mode"
		must "$per" "$CXLDEV/$dec/dpa_size"
		decs+=("$dec")
	done
	for i in "${!decs[@]}"; do
		must "${decs[$i]}" "$CXLDEV/$region/target$i"
	done
	must 1 "$CXLDEV/$region/commit"
	must "$region" "$SYS/bus/cxl/drivers/cxl_region/bind"
	echo "$region"
}

has_dax() { # region
	local d=("$CXLDEV/$1"/dax_region*/dax*.*)
	[ -e "${d[0]}" ]
}
# the dax device of a bound region (daxX.Y), waiting for it
region_dax() { # region
	local d
	wait_for "has_dax $1" 10 || return 1
	d=("$CXLDEV/$1"/dax_region*/dax*.*)
	echo "${d[0]##*/}"
}
dax_driver() { # daxX.Y
	local l=$SYS/bus/dax/devices/$1/driver
	[ -L "$l" ] || { echo none; return; }
	l=$(readlink "$l")
	echo "${l##*/}"
}

# Undo raw_create_region; the region's memory must be offline.
raw_destroy_region() { # region
	local r=$1 i t dec root
	local -a decs=()
	root=$(basename "$(dirname "$(readlink -f "$CXLDEV/$r")")")
	for ((i = 0; ; i++)); do
		[ -e "$CXLDEV/$r/target$i" ] || break
		t=$(cat "$CXLDEV/$r/target$i")
		[ -n "$t" ] && decs+=("$t")
	done
	if [ -L "$CXLDEV/$r/driver" ]; then
		must "$r" "$SYS/bus/cxl/drivers/cxl_region/unbind"
	fi
	must 0 "$CXLDEV/$r/commit"
	for ((i = 0; i < ${#decs[@]}; i++)); do
		must "" "$CXLDEV/$r/target$i"
	done
	for dec in "${decs[@]}"; do
		must 0 "$CXLDEV/$dec/dpa_size"
	done
	must "$r" "$CXLDEV/$root/delete_region"
}

# The kernel log must stay clean while a test runs: dmesg_mark writes a
# marker line to the log, check_dmesg then fails (status 1, the offending
# lines printed) when a "Call Trace", "BUG:" or "WARNING:" line follows
# it. Without a marker (or when it has left the ring buffer) the whole
# buffer is checked and that is said. Real kernels only: under the
# simulator the log is the host's, so both do nothing there.
dmesg_mark() {
	[ -n "${CXL_SIM_ACTIVE:-}" ] && return 0
	KMSG_MARK="cxl-sysram test mark $$.$RANDOM"
	echo "$KMSG_MARK" >/dev/kmsg
}
check_dmesg() {
	local log bad
	[ -n "${CXL_SIM_ACTIVE:-}" ] && return 0
	log=$(dmesg 2>/dev/null) || { echo "check_dmesg: cannot read the kernel log"; return 1; }
	if [ -n "${KMSG_MARK:-}" ] && grep -qF "$KMSG_MARK" <<<"$log"; then
		log=$(awk -v m="$KMSG_MARK" 'f; index($0, m) { f = 1 }' <<<"$log")
	else
		echo "check_dmesg: no start marker in the log, checking all of it"
	fi
	bad=$(grep -n -E 'Call Trace|BUG:|WARNING:' <<<"$log") || return 0
	echo "check_dmesg: the kernel log has:"
	echo "$bad" | head -n 5
	grep -E -A 12 -m 1 'Call Trace|BUG:|WARNING:' <<<"$log"
	return 1
}
