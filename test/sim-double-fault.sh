#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two faults (run through test/sim/run, qemu2, every profile): a write of
# create-region, destroy-region or reconfigure-region fails, and then one
# write of the rollback fails too (EBUSY or EIO, alternately), at every
# write step i
# and every undo step j that the rollback of i makes. Whatever happens,
# no range leaks and no region is deleted, unbound or decommitted above
# memory that is still online; the tool exits 1, and either everything is
# as before, or the command it prints, when run, finishes the job.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
create=(create-region -m "$m0" "$m1" -s 512m --online=movable)
cases=0

# settle NAME BEFORE AFTER: the outcome is BEFORE (all undone), or the
# printed remedy gets to AFTER (what the command would have done)
settle()
{
	local name=$1 want=$3 fix

	invariants "$name"
	# a fault the command met with a retry, or one that never fired
	[ "$code" = 0 ] && return 0
	check "$name: exit 1 (got $code)" '[ "$code" = 1 ]'
	[ "$(state)" = "$2" ] && return 0
	fix=$(grep -o -e 'cxl destroy-region -f region[0-9]*' \
		-e 'cxl free-dpa -t ram mem[0-9]*' \
		-e 'echo [a-z0-9_]* > /sys/[^ ]*' "$tmp/err" | sort -u || true)
	if [ -z "$fix" ]; then
		bad "$name: state changed and no remedy printed: $(tail -n1 "$tmp/err")"
		return 0
	fi
	while read -r cmd; do
		case $cmd in
		echo*) bash -c "$cmd" || bad "$name: remedy '$cmd' failed" ;;
		# shellcheck disable=SC2086 # the printed command, word by word
		*) "$CXL" ${cmd#cxl } >/dev/null 2>&1 ||
			bad "$name: remedy '$cmd' failed" ;;
		esac
	done <<<"$fix"
	invariants "$name (after the remedy)"
	# finished, or (a setting put back by hand) as before the command,
	# or (a region destroyed) clean
	if [ "$(state)" = "$want" ] || [ "$(state)" = "$2" ] ||
		[ "$(state)" = "$base" ]; then
		ok
	else
		bad "$name: the remedy finishes the job"
		diff <(echo "$2") <(state) | head -n 8
		tail -n 3 "$tmp/err"
	fi
}

# matrix NAME WANT-AFTER-REMEDY SETUP -- CMD...: faults at i and at j
matrix()
{
	local name=$1 after=$2 setup=$3 i j p k q kq e n before

	shift 4
	eval "$setup"
	before=$(state)
	code=0
	writes_of "$CXL" "$@" >"$tmp/fw"
	if [ "$name" = create ]; then blocks_seen "$name" "$tmp/fw"; fi
	# put things back as SETUP found them, for the next case
	reset_base
	n=$(wc -l <"$tmp/fw")
	for ((i = 1; i <= n; i++)); do
		p=$(sed -n "${i}p" "$tmp/fw")
		k=$(nth "$p" "$tmp/fw" "$i")
		eval "$setup"
		before=$(state)
		echo "$p $k EIO" >$SIM/fail
		code=0
		writes_of "$CXL" "$@" >"$tmp/all"
		echo clear >$SIM/fail
		settle "$name: fault at $i ($p)" "$before" "$after"
		reset_base
		for ((j = i + 1; j <= $(wc -l <"$tmp/all"); j++)); do
			q=$(sed -n "${j}p" "$tmp/all")
			kq=$(nth "$q" "$tmp/all" "$j")
			e=EBUSY
			[ $((j % 2)) = 0 ] && e=EIO
			eval "$setup"
			before=$(state)
			echo "$p $k EIO" >$SIM/fail
			echo "$q $kq $e" >$SIM/fail
			code=0
			"$CXL" "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
			echo clear >$SIM/fail
			cases=$((cases + 1))
			settle "$name: fault at $i ($p), $e at undo $((j - i)) ($q)" \
				"$before" "$after"
			reset_base
		done
	done
}

warm_base
# create: the outcome to reach is the state before it
matrix create "$base" true -- "${create[@]}"
# destroy: a fresh region each time; the outcome is the state without it
matrix destroy "$base" fresh_region -- destroy-region -f region0

# reconfigure: three transitions, each on two of the four profiles so that
# CI stays in its time (CXL_DOUBLE_FAULT_ALL=1: all three everywhere)
transitions=("fresh_region --online=kernel" "fresh_region --mode=devdax"
	"fresh_devdax --online=movable")
case ${CXL_DOUBLE_FAULT_ALL:-}:$CXL_SIM_PROFILE in
1:*) pick="0 1 2" ;;
*:legacy) pick="0 1" ;;
*:dax-state) pick="1 2" ;;
*:region-driver) pick="2 0" ;;
*) pick="0 2" ;;
esac
for x in $pick; do
	read -r setup to <<<"${transitions[$x]}"
	# shellcheck disable=SC2086 # $to is one option
	matrix "reconfigure $setup $to" "$base" "$setup" -- \
		reconfigure-region region0 $to
done

echo "double-fault cases: $cases"
finish
