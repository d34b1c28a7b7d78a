# SPDX-License-Identifier: GPL-2.0
# Helpers for the simulator tests (sourced). A test script calls
# sim_enter with simulator options; that re-runs the script under
# test/sim/run, so the rest of the script runs against the simulator.

# shellcheck disable=SC2034 # used by the scripts that source this
SIM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN="$SIM_DIR/run"
CTL=/sys/kernel/debug/cxl-sim
D=/sys/bus/cxl/devices
DAX=/sys/bus/dax
MEM=/sys/devices/system/memory
TEST_NAME=$(basename "$0" .sh)

fail() {
	echo "FAIL: $TEST_NAME${CASE:+ ($CASE)}: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $TEST_NAME: $*" >&2
	exit 77
}

need() {
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c is not installed"
	done
}

# sim_enter [simulator options] -- [script args]
sim_enter() {
	local opts=()

	[ -n "${CXL_SIM_ACTIVE:-}" ] && return 0
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = "--" ] && shift
	need jq
	exec "$RUN" "${opts[@]}" -- "$BASH" "$0" "$@"
}

# errno name of writing VALUE to FILE ("ok" on success)
write_errno() {
	local val=$1 file=$2 out

	if out=$( (printf '%s\n' "$val" >"$file") 2>&1); then
		echo ok
		return
	fi
	case "$out" in
	*"Device or resource busy"*) echo EBUSY ;;
	*"No such device or address"*) echo ENXIO ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"No such device"*) echo ENODEV ;;
	*"No space left on device"*) echo ENOSPC ;;
	*"Permission denied"*) echo EACCES ;;
	*"No such file or directory"*) echo ENOENT ;;
	*"Cannot allocate memory"*) echo ENOMEM ;;
	*"Input/output error"*) echo EIO ;;
	*"Resource temporarily unavailable"*) echo EAGAIN ;;
	*"Operation not permitted"*) echo EPERM ;;
	*) echo "unknown($out)" ;;
	esac
}

# expect ERRNO VALUE FILE
expect() {
	local got

	got=$(write_errno "$2" "$3")
	[ "$got" = "$1" ] || fail "writing '$2' to $3: expected $1, got $got"
}

# the errno of reading FILE ("ok" on success)
read_errno() {
	if cat "$1" >/dev/null 2>&1; then
		echo ok
	elif [ -e "$1" ]; then
		echo EACCES
	else
		echo ENOENT
	fi
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# count the paths of a glob that exist: count "$MEM"/memory[0-9]*
count() {
	local n=0 f

	for f in "$@"; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			n=$((n + 1))
		fi
	done
	echo $n
}

# the entries of a directory, space separated, in glob (sorted) order
names() {
	local f

	for f in "$1"/*; do
		printf '%s ' "${f##*/}"
	done
}

attr() {
	cat "$1" 2>/dev/null
}

sim_state() {
	cat "$CTL/state"
}

stats() {
	jq -r "$1" "$CTL/stats"
}

# build a committed RAM region by raw sysfs writes:
# mkregion <root decoder> <size> <endpoint decoder>...
mkregion() {
	local dec=$1 size=$2 n i=0 ep r
	shift 2
	n=$#
	r=$(cat "$D/$dec/create_ram_region") || return 1
	echo "$r" >"$D/$dec/create_ram_region" || return 1
	echo 256 >"$D/$r/interleave_granularity" || return 1
	echo "$n" >"$D/$r/interleave_ways" || return 1
	printf '%#x\n' "$size" >"$D/$r/size" || return 1
	for ep in "$@"; do
		echo ram >"$D/$ep/mode" || return 1
		printf '%#x\n' $((size / n)) >"$D/$ep/dpa_size" || return 1
		echo "$ep" >"$D/$r/target$i" || return 1
		i=$((i + 1))
	done
	echo 1 >"$D/$r/commit" || return 1
	echo "$r"
}

# blocks of a region: "memoryN ..." from its resource and size
region_blocks() {
	local r=$1 bs start size first n i

	bs=$((0x$(cat $MEM/block_size_bytes)))
	start=$(($(cat "$D/$r/resource")))
	size=$(($(cat "$D/$r/size")))
	first=$((start / bs))
	n=$((size / bs))
	for ((i = first; i < first + n; i++)); do
		echo "memory$i"
	done
}

# the zones of a region's blocks, counted: "Movable:8" / "offline:8"
region_zones() {
	local m

	for m in $(region_blocks "$1"); do
		if [ "$(cat $MEM/"$m"/state)" = online ]; then
			cat $MEM/"$m"/valid_zones
		else
			echo offline
		fi
	done | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = " " }'
}
