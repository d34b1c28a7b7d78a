#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SIGKILL at every write step of create-region, destroy-region and three
# reconfigure-region transitions (run
# through test/sim/run, qemu2, every profile): strace kills the command
# as it opens the step's attribute. The next writing command (here the
# boot-time policy run, with no rule) repairs what it left: afterwards
# auto_online_blocks and drivers_autoprobe are as before, nothing leaked,
# no region stands torn down above online memory, and the state is the
# one before the killed command, or the one it would have made.
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
policy=$(cat $MEMORY/auto_online_blocks)
probe=$(cat /sys/bus/dax/drivers_autoprobe)
noconf=$(mktemp -d)
chmod 700 "$noconf"
cases=0

warm_base

# kills NAME SETUP -- CMD...: a kill at every write of CMD; the state a
# finished CMD gives (from one run without a kill) is an accepted outcome
kills()
{
	local name=$1 setup=$2 done i n p k before code what

	shift 3
	eval "$setup"
	writes_of "$CXL" "$@" >"$tmp/fw"
	if [ "$name" = create ]; then blocks_seen "$name" "$tmp/fw"; fi
	cp "$tmp/st" "$tmp/st.fw"
	done=$(state)
	reset_base
	n=$(wc -l <"$tmp/fw")
	for ((i = 1; i <= n; i++)); do
		p=$(sed -n "${i}p" "$tmp/fw")
		k=$(nth "$p" "$tmp/fw" "$i")
		# strace counts every open of the path, reads too
		k=$(awk -v p="\"$p\"" -v k="$k" 'index($0, p) {
			n++; if ($0 ~ /O_WRONLY|O_RDWR/ && ++w == k) { print n; exit }
		}' "$tmp/st.fw")
		what="$name: killed at write $i ($p)"
		eval "$setup"
		before=$(state)
		code=0
		# (in a shell of its own, whose "Killed" notice goes nowhere)
		bash -c 'ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null \
			-P "$1" -e trace=openat \
			-e inject=openat:signal=KILL:when="$2" "${@:3}"; exit $?' \
			kill "$p" "$k" "$CXL" "$@" >/dev/null 2>&1 || code=$?
		cases=$((cases + 1))
		check "$what: died of SIGKILL (got $code)" '[ "$code" = 137 ]'
		"$CXL" reconfigure-region --check-config all \
			--config-dir="$noconf" >/dev/null 2>"$tmp/repair" ||
			bad "$what: the next command failed: $(tail -n1 "$tmp/repair")"
		check "$what: auto_online_blocks as before" \
			'[ "$(cat $MEMORY/auto_online_blocks)" = "$policy" ]'
		check "$what: drivers_autoprobe as before" \
			'[ "$(cat /sys/bus/dax/drivers_autoprobe)" = "$probe" ]'
		invariants "$what"
		check "$what: as before, or as finished" \
			'[ "$(state)" = "$before" ] || [ "$(state)" = "$done" ]'
		# every line is a repair said in one line, or the usual summary
		check "$what: the repair says what it did" \
			'! grep -v -e "^cxl reconfigure-region: \(put\|removed\|finished\|gave\) " \
				-e "reconfigured 0 regions$" -e ": no rule for region" \
				"$tmp/repair" | grep -q .'
		reset_base
	done
}

kills create true -- "${create[@]}"
kills destroy fresh_region -- destroy-region -f region0
kills "reconfigure movable->kernel" fresh_region -- \
	reconfigure-region region0 --online=kernel
kills "reconfigure movable->devdax" fresh_region -- \
	reconfigure-region region0 --mode=devdax
kills "reconfigure devdax->movable" fresh_devdax -- \
	reconfigure-region region0 --online=movable
rm -rf "$noconf"
echo "kill cases: $cases"
finish
