# SPDX-License-Identifier: GPL-2.0
#
# Sourced (after test/common) by the scripts that run inside the sysfs
# simulator: counters of checks, the comparable kernel state, and a way to
# count the sysfs writes of one command.

SIM=/sys/kernel/debug/cxl-sim
[ -e $SIM/state ] || do_skip "not running under the simulator"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# check DESCRIPTION CONDITION: count a check, report it when it fails
check() { if eval "$2"; then ok; else bad "$1"; fi; }
# the closing line, and the exit status of the script
finish()
{
	echo "$pass passed, $fail failed"
	[ $fail = 0 ]
}

# What no tool can undo through sysfs, as on a real kernel: an endpoint
# decoder's mode never goes back to "none", and a switch or endpoint
# decoder keeps its last interleave settings and target list once its
# region is gone. A decoder that holds no HPA range (size 0) and no DPA
# is compared without those fields.
state()
{
	jq -S '.decoders |= map(if .kind != "root" and .size == 0 and
			((.dpa_size // 0) == 0)
		then del(.mode, .interleave_ways, .interleave_granularity,
			 .target_list)
		else . end)' $SIM/state
}
writes() { jq .writes $SIM/stats; }

# destroy_ok REGION...: clean up regions a test made; a failure is a failed
# check that shows why, so that a later step does not fail for no reason
destroy_ok()
{
	"$CXL" destroy-region -f "$@" >/dev/null 2>"$tmp/destroy.err" ||
		bad "destroy-region -f $*: exit $? $(head -n3 "$tmp/destroy.err")"
}

# run_traced OUT ERR CMD...: run CMD, set $code, $nw (its writes other
# than libcxl's /sys/bus/cxl/flush, a request to finish pending probes
# that every libcxl scan makes, also in "cxl list"; it changes no state;
# and other than the tool's kmem probe barrier, a kmem bind of a device
# kmem holds already, which waits for its probe and fails with EBUSY)
# and $nf (those flushes)
run_traced()
{
	local out=$1 errf=$2

	shift 2
	code=0
	# LeakSanitizer cannot run under ptrace; leaks are checked elsewhere
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -y -e trace=openat -o "$tmp/strace" "$@" \
		>"$out" 2>"$errf" || code=$?
	nw=$(opened_for_write "$tmp/strace" |
		grep -v -e '^/sys/bus/cxl/flush$' \
			-e '^/sys/bus/dax/drivers/kmem/bind$' |
		grep -c '^/sys/' || true)
	nf=$(opened_for_write "$tmp/strace" |
		grep -c '^/sys/bus/cxl/flush$' || true)
}

# the paths an "strace -y -e trace=openat" log ($1) shows opened for
# writing, in order: relative to a directory's fd (the tool reaches the
# memory blocks from their folder) or absolute
opened_for_write()
{
	grep -E 'O_WRONLY|O_RDWR' "$1" | sed -nE \
		-e 's|.*openat\(AT_FDCWD(<[^>]*>)?, "(/[^"]*)".*|\2|p' \
		-e 's|.*openat\([0-9]+<([^>]*)>, "([^/"][^"]*)".*|\1/\2|p' || true
}

# errno name -> the text strerror gives
errno_text()
{
	case $1 in
	EBUSY) echo "Device or resource busy" ;;
	ENXIO) echo "No such device or address" ;;
	ENOMEM) echo "Cannot allocate memory" ;;
	esac
}

# the sysfs paths CMD opens for writing, in order (not libcxl's flush)
writes_of()
{
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat \
		-o "$tmp/st" "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
	grep -E 'O_WRONLY|O_RDWR' "$tmp/st" | grep -o '"/sys/[^"]*"' |
		tr -d '"' | grep -v -e '^/sys/bus/cxl/flush$' \
		-e '^/sys/kernel/debug/' || true
}

# The writes of one command, from --debug ($1: its function name, $2: the
# log): "PATH VALUE" lines in order, every memoryN/state run of one value
# folded into "memory*/state VALUE". A value "\n" ends its line empty.
real_writes()
{
	sed -n "s/^cxl region: $1: write \([^ ]*\) \(.*\)$/\1 \2/p" "$2" |
		sed 's|/memory[0-9]*/state |/memory*/state |; s/ *$//' | uniq
}

# The writes a dry run plans ($1: its output, one plan object or an array
# of them) on the branch the run took ($2: its method), as real_writes
# prints them
planned_writes()
{
	jq -r --arg m "$2" '(if type == "array" then .[] else . end) |
		.plan[] | select(.write and ((.if // $m) == $m)) |
		"\(.write) \(.value | rtrimstr("\n"))"' "$1" | sed 's/ *$//'
}

# refused NAME CMD...: exit 1, one line, no write, the state unchanged
refused()
{
	local name=$1 before

	shift
	before=$(state)
	run_traced "$tmp/o" "$tmp/e" "$@"
	check "$name: exit 1 (got $code)" '[ $code = 1 ]'
	check "$name: one line ($(head -n2 "$tmp/e" | tr '\n' '|'))" \
		'[ "$(wc -l <"$tmp/e")" = 1 ]'
	check "$name: no write ($nw)" '[ "$nw" = 0 ]'
	check "$name: state unchanged" '[ "$(state)" = "$before" ]'
}

# blocks_seen NAME FILE: on the legacy interface a create onlines each
# block by a write of its own; a matrix built from writes_of must have
# them, or it never kills or faults at a block (a write made relative to
# an open folder hides from strace's paths)
blocks_seen()
{
	local seen=$2

	[ "$CXL_SIM_PROFILE" = legacy ] || return 0
	check "$1: the matrix has the block writes" \
		'grep -q "^/sys/devices/system/memory/memory[0-9]*/state$" "$seen"'
}

# nth PATH FILE LINE: how often PATH occurs in FILE up to line LINE
nth() { head -n "$3" "$2" | grep -cxF "$1"; }

# what the simulator must never show, after any outcome
invariants()
{
	local name=$1 above

	check "$name: no leaked range" '[ "$(jq ".leaked | length" $SIM/state)" = 0 ]'
	# every online CXL block sits below a committed, bound region
	above=$(jq -r '. as $s | [.memory.blocks[] | select(.state == "online") |
		.owner as $o | ($s.dax_devices[] | select(.name == $o) |
		.region) as $r | $s.regions[] | select(.name == $r) |
		select(.commit != 1 or .driver == null) | .name] | length' $SIM/state)
	check "$name: no region torn down above online memory" '[ "$above" = 0 ]'
}


# For the fault and kill matrices: $create (a create-region command line,
# 512 MiB over $m0 $m1) and $base (the state they start from).
# warm_base: one create and destroy first (endpoint decoders keep their
# mode once set, so the first create writes more than any later one)
warm_base()
{
	"$CXL" "${create[@]}" >"$tmp/warm" 2>/dev/null
	destroy_ok "$(jq -r .region "$tmp/warm")"
	base=$(state)
}

# reset_base: undo whatever a case left (a region that got through, a
# settled one, or its setup's), so that the next case starts from $base
reset_base()
{
	local r

	[ "$(state)" = "$base" ] && return 0
	for r in $("$CXL" list -R 2>/dev/null | jq -r '.[].region' | sort -rV); do
		"$CXL" destroy-region -f "$r" >/dev/null 2>&1 || true
	done
	[ "$(state)" = "$base" ] || bad "could not reset the simulator"
}

# setups: a fresh sysram region as $create makes it, or a devdax one
fresh_region()
{
	"$CXL" "${create[@]}" >"$tmp/setup" 2>"$tmp/setup.err" ||
		bad "setup: create failed: $(tail -n1 "$tmp/setup.err")"
}
fresh_devdax()
{
	"$CXL" create-region -m "$m0" "$m1" -s 512m --mode=devdax \
		>"$tmp/setup" 2>"$tmp/setup.err" ||
		bad "setup: devdax create failed: $(tail -n1 "$tmp/setup.err")"
}
