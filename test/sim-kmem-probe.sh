#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmem's probe in stages, as Linux 7.3 runs it: the driver link and the
# memory blocks exist before the dax "state" attribute (added after the
# probe returned). Run through test/sim/run --profile=dax-state
# --kmem-probe-gap=MS with a gap wide enough that a tool deciding in that
# window would pick the legacy method and print a JSON from before the
# probe ended (the simulator also probes a new dax device that much later,
# asynchronously). Every create and reconfigure asked to use the dax
# state (--method=dax-state, and --mode=default, whose kmem records the
# kernel's own type) must say dax-state, one of auto (block by block)
# legacy, and each JSON must be what /sys shows once both gaps have
# passed.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
[ "${CXL_SIM_PROFILE:-}" = dax-state ] || do_skip "needs the dax-state profile"
rc=1

# created WHAT METHOD ARGS...: a command that must say METHOD, JSON = /sys
created()
{
	local what=$1 want=$2 out why

	shift 2
	out=$("$CXL" "$@" 2>"$tmp/err") || {
		bad "$what: exit $? $(head -n2 "$tmp/err")"
		return 0
	}
	r=$(jq -r .region <<<"$out")
	check "$what: method $want (got $(jq -r .sysram.method <<<"$out"))" \
		'[ "$(jq -r .sysram.method <<<"$out")" = "$want" ]'
	# afterwards: once whatever the kernel still had to do is done
	sleep 3.2
	why=$(json_matches_sys "$out") || true
	check "$what: JSON is what /sys shows${why:+ ($why)}" '[ -z "$why" ]'
}

for i in 1 2 3; do
	created "create $i --online=movable" dax-state \
		create-region -m mem0 mem1 --online=movable --method=dax-state
	destroy_ok "$r"
done
created "create --online=movable (auto)" legacy \
	create-region -m mem0 mem1 --online=movable
destroy_ok "$r"
created "create --mode=default" dax-state create-region -m mem0 mem1 --mode=default
check "default: online as the kernel chose" \
	'[ "$(cat /sys/bus/dax/devices/dax${r#region}.0/state)" = online ]'
"$CXL" reconfigure-region "$r" --mode=devdax >/dev/null
created "reconfigure devdax -> movable" dax-state \
	reconfigure-region "$r" --online=movable --method=dax-state
destroy_ok "$r"

# rollbacks while a probe is still to come: they must let it end under
# the policy they need before they take the memory out or rebind
base=$(state)
# a signal while kmem's probe is pending (a create through the state,
# the policy held at online_movable): undone under "offline", the probe
# waited for, nothing left online under an unbound region
code=0
timeout --preserve-status -s INT 0.8 "$CXL" create-region -m mem0 mem1 --online=movable \
	--method=dax-state >/dev/null 2>"$tmp/err" || code=$?
check "SIGINT in the probe's gap: exit 130 (got $code)" '[ $code = 130 ]'
sleep 3.2
check "SIGINT in the probe's gap: everything put back" '[ "$(state)" = "$base" ]'
check "SIGINT in the probe's gap: the policy is back" \
	'[ "$(cat $MEMORY/auto_online_blocks)" = online ]'
# a destroy that fails after the unbind, of memory the state holds: the
# rebind runs under the recorded type and waits for the probe, so the
# state records it again and the blocks are as they were
created "create for the failed destroy" dax-state \
	create-region -m mem0 mem1 --online=movable --method=dax-state
before=$(state)
echo "/sys/bus/cxl/devices/$r/commit 1 EIO" >$SIM/fail
code=0
"$CXL" destroy-region -f "$r" >/dev/null 2>"$tmp/err" || code=$?
echo clear >$SIM/fail
check "failed destroy: exit 1 (got $code)" '[ $code = 1 ]'
sleep 3.2
check "failed destroy: state as before" '[ "$(state)" = "$before" ]'
out=$("$CXL" list -R -r "$r")
check "failed destroy: still dax-state, online_movable" \
	'[ "$(jq -r ".[0].sysram.method" <<<"$out")" = dax-state ] &&
	 [ "$(jq -r ".[0].sysram.dax_state" <<<"$out")" = online_movable ]'
destroy_ok "$r"
finish
