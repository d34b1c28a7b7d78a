#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A sysram bring-up on a kernel with the dax state (run through
# test/sim/run, qemu2, dax-state profile). With --method=dax-state, kmem
# is bound under auto_online_blocks held at the requested type, so the
# memory is hot-added once, online, and the state records the type; no
# unplug and no state write. The policy goes back as soon as kmem has
# probed. When the release does not promise the state (run with
# --kernel-release=6.12.0-cxl-sim: a backport), the hot-add stays offline
# and the state onlines it. A failure after the bind takes the memory
# offline before the region is unbound, and puts everything back; so
# does a signal that arrives as the region is bound. Without --method
# (auto) the blocks are onlined one by one in the walk's order, which
# costs the kernel less than the state's: the JSON says legacy, and the
# state reads offline.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
check_prereq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

case $CXL_SIM_PROFILE in
dax-state) ;;
*) do_skip "needs the dax-state profile" ;;
esac
release=$(cat /proc/sys/kernel/osrelease)
expect_probe=1
case $release in
[0-6].* | 7.[0-2].* | 7.[0-2]) expect_probe=0 ;;
esac
m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
AUTO=$MEMORY/auto_online_blocks
echo online >$AUTO
base=$(state)

for t in movable kernel online; do
	case $t in
	movable) ty=online_movable ;;
	kernel) ty=online_kernel ;;
	online) ty=online ;;
	esac
	writes_of "$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram \
		--online=$t --method=dax-state --debug >"$tmp/w"
	cp "$tmp/out" "$tmp/c.json"
	r=$(jq -r .region "$tmp/c.json")
	check "$t: created ($(tail -n1 "$tmp/err"))" '[ "$r" = region0 ]'
	nblk=$(grep -c '^/sys/devices/system/memory/memory[0-9]*/state$' "$tmp/w" || true)
	nstate=$(grep -c '^/sys/bus/dax/devices/dax[0-9.]*/state$' "$tmp/w" || true)
	grep -o "write $AUTO .*" "$tmp/err" | cut -d' ' -f3 | tr '\n' ' ' >"$tmp/auto"
	if [ $expect_probe = 1 ]; then
		check "$t: no block or state write ($nblk, $nstate)" \
			'[ "$nblk" = 0 ] && [ "$nstate" = 0 ]'
		# at "online" already, the policy needs no hold
		want="$ty online "
		[ $ty = online ] && want=
		check "$t: the policy held at $ty, then put back ($(cat "$tmp/auto"))" \
			'[ "$(cat "$tmp/auto")" = "$want" ]'
		check "$t: the debug log says the state records it" \
			'grep -q "hot-added $ty as kmem probed (the dax state records it)" "$tmp/err"'
	else
		check "$t: the state unplugged and set ($nstate writes, $nblk block writes)" \
			'[ "$nstate" = 2 ] && [ "$nblk" = 0 ]'
		check "$t: the policy held offline ($(cat "$tmp/auto"))" \
			'[ "$(cat "$tmp/auto")" = "offline online " ]'
	fi
	check "$t: the JSON says dax-state, $ty" \
		'[ "$(jq -r .sysram.method "$tmp/c.json")" = dax-state ] &&
		 [ "$(jq -r .sysram.dax_state "$tmp/c.json")" = $ty ]'
	check "$t: the policy is back at online" '[ "$(cat $AUTO)" = online ]'
	# the plan lists the run's writes
	destroy_ok "$r"
	"$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram --online=$t \
		--method=dax-state -n >"$tmp/plan" 2>/dev/null
	"$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram --online=$t \
		--method=dax-state --debug >/dev/null 2>"$tmp/run"
	real_writes cmd_create_region "$tmp/run" >"$tmp/rw"
	planned_writes "$tmp/plan" dax-state >"$tmp/pw"
	check "$t: the plan's writes are the run's ($(diff "$tmp/pw" "$tmp/rw" | head -n3 | tr '\n' '|'))" \
		'diff -q "$tmp/pw" "$tmp/rw" >/dev/null'
	destroy_ok region0
done

# the policy cannot be put back after kmem probed: the memory goes
# offline first, then the region is unbound and deleted
if [ $expect_probe = 1 ]; then
	echo "$AUTO 2 EIO" >$SIM/fail
	code=0
	"$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram \
		--online=movable --method=dax-state --debug >/dev/null \
		2>"$tmp/f" || code=$?
	echo clear >$SIM/fail
	check "failed policy restore: exit 1 (got $code)" '[ $code = 1 ]'
	sed -n '/rolling back/,$p' "$tmp/f" >"$tmp/undo"
	off=$(grep -n "write $MEMORY/memory[0-9]*/state offline" "$tmp/undo" | head -n1 | cut -d: -f1)
	unb=$(grep -n "write /sys/bus/cxl/drivers/cxl_region/unbind region0" "$tmp/undo" | head -n1 | cut -d: -f1)
	check "failed policy restore: blocks offline (line ${off:-none}) before the unbind (line ${unb:-none})" \
		'[ -n "$off" ] && [ -n "$unb" ] && [ "$off" -lt "$unb" ]'
	echo online >$AUTO
	check "failed policy restore: everything put back" '[ "$(state)" = "$base" ]'
fi
# a signal as the bind goes through: no write follows it on this path,
# so the waits must see it, and everything is undone
for sig in INT:130 TERM:143; do
	code=0
	ASAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null \
		-P /sys/bus/cxl/drivers/cxl_region/bind \
		-e trace=openat -e inject=openat:signal="${sig%:*}":when=1 \
		"$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram \
		--online=movable --method=dax-state >/dev/null 2>"$tmp/se" || code=$?
	check "SIG${sig%:*} at the bind: exit ${sig#*:} (got $code)" '[ $code = ${sig#*:} ]'
	check "SIG${sig%:*} at the bind: says rolled back" \
		'grep -q "interrupted by SIG${sig%:*}; rolled back$" "$tmp/se"'
	check "SIG${sig%:*} at the bind: everything put back" '[ "$(state)" = "$base" ]'
	check "SIG${sig%:*} at the bind: the policy is back" '[ "$(cat $AUTO)" = online ]'
done

# auto: block by block, whatever the release
writes_of "$CXL" create-region -m "$m0" "$m1" -s 512m --mode=sysram \
	--online=movable >"$tmp/w"
cp "$tmp/out" "$tmp/c.json"
nblk=$(grep -c '^/sys/devices/system/memory/memory[0-9]*/state$' "$tmp/w" || true)
nstate=$(grep -c '^/sys/bus/dax/devices/dax[0-9.]*/state$' "$tmp/w" || true)
check "auto: a write per block, none to the state ($nblk, $nstate)" \
	'[ "$nblk" = 4 ] && [ "$nstate" = 0 ]'
check "auto: the JSON says legacy, online_movable, the state offline" \
	'[ "$(jq -r .sysram.method "$tmp/c.json")" = legacy ] &&
	 [ "$(jq -r .sysram.online_type "$tmp/c.json")" = online_movable ] &&
	 [ "$(jq -r .sysram.dax_state "$tmp/c.json")" = offline ]'
# the state records nothing the blocks are: a rollback through it would
# change the record, so the type changes block by block
writes_of "$CXL" reconfigure-region region0 --online=kernel >"$tmp/w"
nblk=$(grep -c '^/sys/devices/system/memory/memory[0-9]*/state$' "$tmp/w" || true)
nstate=$(grep -c '^/sys/bus/dax/devices/dax[0-9.]*/state$' "$tmp/w" || true)
check "auto, then kernel: 2 writes per block, none to the state ($nblk, $nstate)" \
	'[ "$nblk" = 8 ] && [ "$nstate" = 0 ] &&
	 [ "$(jq -r .sysram.online_type "$tmp/out")" = online_kernel ]'
destroy_ok region0
check "back to the start" '[ "$(state)" = "$base" ]'
finish
