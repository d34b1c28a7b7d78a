#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmem's probe in stages, as Linux 7.3 runs it: the driver link and the
# memory blocks exist before the dax "state" attribute (added after the
# probe returned). Run through test/sim/run --profile=dax-state
# --kmem-probe-gap=MS with a gap wide enough that a tool deciding in that
# window would pick the legacy method and print a JSON from before the
# probe ended (the simulator also probes a new dax device that much later,
# asynchronously). Every create and reconfigure must say dax-state, and
# its JSON must be what /sys shows once both gaps have passed.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
[ "${CXL_SIM_PROFILE:-}" = dax-state ] || do_skip "needs the dax-state profile"
rc=1

# create OUT ARGS...: a create that must use dax-state, JSON = /sys
created()
{
	local what=$1 out why

	shift
	out=$("$CXL" "$@" 2>"$tmp/err") || {
		bad "$what: exit $? $(head -n2 "$tmp/err")"
		return 0
	}
	r=$(jq -r .region <<<"$out")
	check "$what: method dax-state (got $(jq -r .sysram.method <<<"$out"))" \
		'[ "$(jq -r .sysram.method <<<"$out")" = dax-state ]'
	# afterwards: once whatever the kernel still had to do is done
	sleep 3.2
	why=$(json_matches_sys "$out") || true
	check "$what: JSON is what /sys shows${why:+ ($why)}" '[ -z "$why" ]'
}

for i in 1 2 3; do
	created "create $i --online=movable" create-region -m mem0 mem1 --online=movable
	destroy_ok "$r"
done
created "create --mode=default" create-region -m mem0 mem1 --mode=default
check "default: online as the kernel chose" \
	'[ "$(cat /sys/bus/dax/devices/dax${r#region}.0/state)" = online ]'
"$CXL" reconfigure-region "$r" --mode=devdax >/dev/null
created "reconfigure devdax -> movable" reconfigure-region "$r" --online=movable
destroy_ok "$r"
finish
