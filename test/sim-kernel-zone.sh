#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What Linux 7.3 showed about memory in ZONE_NORMAL and about policies
# asked of enabled regions, against the simulator (test/sim/run
# --topology=qemu2, any profile):
#  - --online=kernel and --online=online warn once that the memory may
#    never come offline again; --online=movable does not warn;
#  - a busy offline (simulator busy blocks) refuses in one line that names
#    the blocks and what holds them, and changes nothing;
#  - enable-region --online/--mode on an enabled region whose memory is
#    not in that state: exit 1, one line with the reconfigure-region
#    command, nothing changed; that command then does it.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

warn='may keep it from ever going offline again'
mds=(mem0 mem1)

# 1. the ZONE_NORMAL warning, once, only for kernel and online
for online in movable online kernel; do
	out=$("$CXL" create-region -m "${mds[@]}" --online=$online 2>"$tmp/err")
	r=$(jq -r .region <<<"$out")
	n=$(grep -c -- "$warn" "$tmp/err" || true)
	if [ $online = movable ]; then
		check "--online=movable: no warning (got $n)" '[ "$n" = 0 ]'
	else
		check "--online=$online: warned once (got $n)" '[ "$n" = 1 ]'
		check "--online=$online: warning names the choice" \
			'grep -q -- "--online=$online puts the memory in ZONE_NORMAL" "$tmp/err"'
	fi
	[ $online = kernel ] || destroy_ok "$r"
done

# 2. a busy block in ZONE_NORMAL: one line, the blocks, nothing changed
read -r first _ <<<"$(region_blocks "$r")"
echo "memory$first" >$SIM/busy
before=$(state)
code=0
"$CXL" reconfigure-region "$r" --online=movable >"$tmp/out" 2>"$tmp/err" || code=$?
check "busy reconfigure: exit 1 (got $code)" '[ $code = 1 ]'
check "busy: names memory$first and what holds it" \
	'grep -q "(memory$first), held by unmovable kernel allocations (ZONE_NORMAL), stays online until reboot" "$tmp/err"'
check "busy: the reason is on one line" \
	'[ "$(grep -c "held by" "$tmp/err")" = 1 ]'
check "busy: state unchanged" '[ "$(state)" = "$before" ]'
check "busy: still online Normal" 'check_blocks "$r" online Normal'
code=0
"$CXL" destroy-region -f "$r" >"$tmp/out" 2>"$tmp/err" || code=$?
check "busy destroy: exit 1 (got $code)" '[ $code = 1 ]'
check "busy destroy: names memory$first" 'grep -q "(memory$first), held by" "$tmp/err"'
check "busy destroy: region still there" '[ -e /sys/bus/cxl/devices/$r ]'
check "busy destroy: state unchanged" '[ "$(state)" = "$before" ]'
echo clear >$SIM/busy
destroy_ok "$r"

# 3. enable-region with a policy the enabled region does not have
r=$("$CXL" create-region -m "${mds[@]}" --online=kernel 2>/dev/null | jq -r .region)
before=$(state)
run_traced "$tmp/out" "$tmp/err" "$CXL" enable-region "$r" --online=movable
check "enable --online=movable on kernel memory: exit 1 (got $code)" '[ $code = 1 ]'
check "enable mismatch: one line (got $(wc -l <"$tmp/err"))" '[ "$(wc -l <"$tmp/err")" = 1 ]'
check "enable mismatch: says what the memory is" 'grep -q "online_kernel, not online_movable" "$tmp/err"'
check "enable mismatch: names the command" \
	'grep -q "cxl reconfigure-region $r --online=movable$" "$tmp/err"'
check "enable mismatch: no write ($nw)" '[ "$nw" = 0 ]'
check "enable mismatch: state unchanged" '[ "$(state)" = "$before" ]'
cmd=$(sed -n 's/.*to change it run: cxl //p' "$tmp/err")
# shellcheck disable=SC2086
"$CXL" $cmd >/dev/null 2>&1
check "the named command does it" 'check_blocks "$r" online Movable'
"$CXL" enable-region "$r" --online=movable 2>"$tmp/err"
check "enable --online=movable now holds: exit 0, as enabled" \
	'grep -q "enabled 1 region" "$tmp/err"'
code=0
"$CXL" enable-region "$r" --mode=devdax 2>"$tmp/err" || code=$?
check "enable --mode=devdax on sysram: exit 1 (got $code)" '[ $code = 1 ]'
check "enable --mode=devdax: names the command" \
	'grep -q "cxl reconfigure-region $r --mode=devdax$" "$tmp/err"'
"$CXL" enable-region "$r" 2>/dev/null
check "enable with no policy on an enabled region: exit 0" true
destroy_ok "$r"
finish
