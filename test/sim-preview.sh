#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The previews of enable-, disable- and destroy-region (run through
# test/sim/run, qemu2, every profile): -n writes nothing and changes
# nothing, and what it plans is what the real run then writes, in order:
# by the tool's own --debug log (paths and values) and by the kernel's
# side, the files strace sees it open for writing. destroy-region -n all
# over three regions lists every region's writes, newest first; without
# -f it refuses what the run refuses. Then what enable-region and
# reconfigure-region do not do: change an enabled region's mode, and
# enable a disabled region; the preview of an enable over a range that
# is still System RAM fails as the enable does; a preview after a killed
# command warns that the run first finishes what it left.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')

# sysram regions in this test say what they want: the default is not it
new_region()
{
	"$CXL" create-region -m "$m0" "$m1" -s 512m "$@" 2>"$tmp/c.err" |
		jq -r .region
}

# the sysfs paths a command opened for writing ($1: strace -y log),
# folded as real_writes folds them: what the simulated kernel was asked
# to change (not libcxl's flush and the kmem probe barrier, which change
# nothing: see run_traced)
sysfs_writes()
{
	opened_for_write "$1" | grep '^/sys/' |
		grep -v -e '^/sys/bus/cxl/flush$' -e '^/sys/kernel/debug/' \
			-e '^/sys/bus/dax/drivers/kmem/bind$' |
		sed 's|/memory[0-9]*/state$|/memory*/state|' | uniq || true
}

# preview NAME CMD...: run CMD with -n: exit $want (default 0), no
# file opened for writing, the simulator's state and write count as
# before; the plan is in $tmp/plan
preview()
{
	local name=$1 before writes0 code=0

	shift
	before=$(state)
	writes0=$(writes)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -y -e trace=openat -o "$tmp/pst" "$@" -n \
		>"$tmp/plan" 2>"$tmp/perr" || code=$?
	check "$name -n: exit ${want:-0} (got $code: $(head -n1 "$tmp/perr"))" \
		'[ $code = "${want:-0}" ]'
	# no file at all: not sysfs, nor the journal or the writers' lock
	opened_for_write "$tmp/pst" | grep -v '^/sys/bus/cxl/flush$' \
		>"$tmp/pw" || true
	check "$name -n: nothing opened for writing ($(head -n3 "$tmp/pw" | tr '\n' ' '))" \
		'[ ! -s "$tmp/pw" ]'
	check "$name -n: state unchanged" '[ "$(state)" = "$before" ]'
	# reads may flush (libcxl), which the counter counts: none else
	check "$name -n: no write reached the simulator" \
		'[ $(($(writes) - writes0)) = $(grep -c "\"/sys/bus/cxl/flush\"" "$tmp/pst" || true) ]'
	jq -e 'type == "array"' "$tmp/plan" >/dev/null ||
		bad "$name -n: output is not an array"
}

# run_real NAME FN METHOD CMD...: run CMD for real with --debug under
# strace; its writes must be the plan's (branch METHOD, "" when the plan
# has no branches), in order
run_real()
{
	local name=$1 fn=$2 method=$3 code=0

	shift 3
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -y -e trace=openat -o "$tmp/rst" "$@" --debug \
		>"$tmp/out" 2>"$tmp/dbg" || code=$?
	check "$name: run exit 0 (got $code: $(grep -v ': write ' "$tmp/dbg" | tail -n1))" \
		'[ $code = 0 ]'
	[ -n "$method" ] || method=$(result_method)
	planned_writes "$tmp/plan" "$method" >"$tmp/planned"
	real_writes "$fn" "$tmp/dbg" >"$tmp/real"
	if cmp -s "$tmp/planned" "$tmp/real"; then
		ok
	else
		bad "$name: plan = the run's writes (--debug)"
		diff "$tmp/planned" "$tmp/real" | head -n 20
	fi
	cut -d' ' -f1 "$tmp/planned" | uniq >"$tmp/planned.paths"
	sysfs_writes "$tmp/rst" >"$tmp/opened"
	if cmp -s "$tmp/planned.paths" "$tmp/opened"; then
		ok
	else
		bad "$name: plan = the files the run opened for writing"
		diff "$tmp/planned.paths" "$tmp/opened" | head -n 20
	fi
}

# the method the enabled region reports, as the plan's "if" names it
result_method()
{
	"$CXL" list -R -r "$r" | jq -r '.[0] | .sysram.method // .mode'
}

# 1. enable and disable, one region, every way of bringing it up; the
#    disabled region has no device bound to kmem, so the dax state
#    capability is unknown again and the plan may be two-way
r=$(new_region --mode=sysram --online=movable)
"$CXL" disable-region "$r" 2>/dev/null
for how in "" "--mode=sysram --online=movable" "--mode=sysram --online=kernel" \
	"--mode=sysram --online=offline" "--mode=devdax" "--mode=default"; do
	name="enable ${how:-(no policy)}"
	# shellcheck disable=SC2086 # $how is zero to two options
	preview "$name" "$CXL" enable-region "$r" $how
	check "$name -n: one object, the region" \
		'[ "$(jq -r "map(.region) | join(\" \")" "$tmp/plan")" = "$r" ]'
	check "$name -n: it is disabled now" \
		'[ "$(jq -r ".[0].region_driver // \"none\"" "$tmp/plan")" = none ]'
	# shellcheck disable=SC2086
	run_real "$name" cmd_enable_region "" "$CXL" enable-region "$r" $how
	m=$(result_method)
	pm=$(jq -r '.[0].method // "null"' "$tmp/plan")
	case "$how" in
	*sysram*) if [ "$pm" = null ]; then
		check "$name: unknown plan lists the run's method ($m)" \
			'jq -e --arg m "$m" ".[0].method_candidates | index(\$m)" "$tmp/plan" >/dev/null'
	   else
		check "$name: plan method $pm = result $m" '[ "$pm" = "$m" ]'
	   fi ;;
	*) ;;
	esac

	name="disable after enable ${how:-(no policy)}"
	preview "$name" "$CXL" disable-region "$r"
	check "$name -n: it is enabled now" \
		'[ "$(jq -r ".[0].region_driver // \"none\"" "$tmp/plan")" != none ]'
	run_real "$name" cmd_disable_region - "$CXL" disable-region "$r"
done
# a no-op is previewed as one: counted, nothing planned
preview "disable a disabled region" "$CXL" disable-region "$r"
check "disable a disabled region -n: empty plan" \
	'[ "$(jq -c "map(.plan)" "$tmp/plan")" = "[[]]" ]'
destroy_ok "$r"

# 2. destroy-region all over three regions, newest first; the previews
#    of one and of all agree
a=$(new_region --mode=sysram --online=movable)
b=$(new_region --mode=devdax)
c=$(new_region --mode=sysram --online=offline)
# two regions enabled at once: one object each, in order, and the run's
# writes are both plans'
"$CXL" disable-region "$a" "$c" 2>/dev/null
preview "enable two" "$CXL" enable-region "$a" "$c" --mode=sysram \
	--online=movable
check "enable two -n: $a then $c" \
	'[ "$(jq -r "map(.region) | join(\" \")" "$tmp/plan")" = "$a $c" ]'
r=$a
run_real "enable two" cmd_enable_region "" "$CXL" enable-region "$a" "$c" \
	--mode=sysram --online=movable
"$CXL" reconfigure-region "$c" --online=offline >/dev/null 2>&1
"$CXL" create-region -m "$m0" -s 256m --mode=sysram --online=movable \
	>"$tmp/d" 2>/dev/null
d=$(jq -r .region "$tmp/d")
"$CXL" disable-region "$d" 2>/dev/null
# without -f the run refuses the enabled ones and what their DPA blocks,
# and destroys $d: the preview says the same, line for line, fails the
# same and plans $d's writes alone
want=1 preview "destroy all, no -f" "$CXL" destroy-region all
check "destroy all, no -f: plans only the disabled $d" \
	'[ "$(jq -r "map(.region) | join(\" \")" "$tmp/plan")" = "$d" ]'
code=0
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -y -e trace=openat -o "$tmp/rst" \
	"$CXL" destroy-region all >/dev/null 2>"$tmp/refused.run" || code=$?
check "destroy all, no -f: the run fails too (got $code)" '[ $code = 1 ]'
grep -v ' regions\?$' "$tmp/refused.run" >"$tmp/a" || true
grep -v ' regions\?$' "$tmp/perr" >"$tmp/b" || true
check "destroy all, no -f: refuses as the run does" 'cmp -s "$tmp/a" "$tmp/b"'
check "destroy all, no -f: names the blocked $a" 'grep -q "$a: destroy blocked" "$tmp/b"'
planned_writes "$tmp/plan" - | cut -d' ' -f1 | uniq >"$tmp/planned.paths"
sysfs_writes "$tmp/rst" >"$tmp/opened"
check "destroy all, no -f: plan = the files the run opened for writing" \
	'cmp -s "$tmp/planned.paths" "$tmp/opened"'
check "destroy all, no -f: $d gone" '[ ! -e "/sys/bus/cxl/devices/$d" ]'

preview "destroy -f $c" "$CXL" destroy-region -f "$c"
jq '.[0].plan' "$tmp/plan" >"$tmp/plan.c"
preview "destroy -f all" "$CXL" destroy-region -f all
check "destroy -f all -n: every region, newest first" \
	'[ "$(jq -r "map(.region) | join(\" \")" "$tmp/plan")" = "$c $b $a" ]'
check "destroy -f all -n: each region has writes" \
	'jq -e "all(.[]; (.plan | map(select(.write)) | length) > 0)" "$tmp/plan" >/dev/null'
check "destroy -f all -n: the first plan is the one of $c alone" \
	'[ "$(jq -c ".[0].plan" "$tmp/plan")" = "$(jq -c . "$tmp/plan.c")" ]'
check "destroy -f all -n: says what it would do" \
	'grep -q "dry run, nothing changed: would have destroyed 3 regions" "$tmp/perr"'
run_real "destroy -f all" cmd_destroy_region - "$CXL" destroy-region -f all
check "destroy -f all: gone" '[ "$("$CXL" list -R | jq length)" = 0 ]'

# 3. what enable-region and reconfigure-region do not do

r=$(new_region --mode=sysram --online=movable)
for n in "" -n; do
	refused "enable $n --mode=devdax, enabled sysram" \
		"$CXL" enable-region "$r" --mode=devdax $n
	check "enable $n --mode=devdax: says what it is" \
		'grep -q "enabled already, its memory online_movable, not devdax" "$tmp/e"'
	check "enable $n --mode=devdax: names the command" \
		'grep -q "cxl reconfigure-region $r --mode=devdax$" "$tmp/e"'
done

"$CXL" disable-region "$r" 2>/dev/null
for n in "" -n; do
	refused "reconfigure $n a disabled region" \
		"$CXL" reconfigure-region "$r" --online=kernel $n
	check "reconfigure $n disabled: says so" \
		'grep -q "$r: disabled; reconfigure-region changes an enabled region" "$tmp/e"'
	check "reconfigure $n disabled: names the command" \
		'grep -q "run: cxl enable-region $r --online=kernel$" "$tmp/e"'
done
check "reconfigure disabled: still disabled" \
	'[ "$("$CXL" list -R -i -r "$r" | jq -r ".[0].state")" = disabled ]'
cmd=$(sed -n 's/.*run: cxl //p' "$tmp/e")
# shellcheck disable=SC2086 # the command as the message names it
"$CXL" $cmd >/dev/null 2>&1
check "the named command does it" 'check_blocks "$r" online Normal'
destroy_ok "$r"

# 4. what the bring-up refuses before its first write, the preview
#    refuses too: a range still System RAM, left by disable-region -f
#    (last: the range stays leaked for the rest of the run)
r=$(new_region --mode=sysram --online=movable)
blk=$(jq -r '[.memory.blocks[] | select(.state == "online")][0].id' $SIM/state)
echo "memory$blk" >$SIM/busy
"$CXL" disable-region -f "$r" >/dev/null 2>&1
echo clear >$SIM/busy
want=1 preview "enable a leaked range" "$CXL" enable-region "$r" \
	--mode=sysram --online=movable
check "enable a leaked range -n: plans nothing" '[ "$(jq length "$tmp/plan")" = 0 ]'
code=0
"$CXL" enable-region "$r" --mode=sysram --online=movable >/dev/null \
	2>"$tmp/leak.run" || code=$?
check "enable a leaked range: the run fails too (got $code)" '[ $code = 1 ]'
grep -v ' regions\?$' "$tmp/leak.run" >"$tmp/a" || true
grep -v ' regions\?$' "$tmp/perr" >"$tmp/b" || true
check "enable a leaked range: the preview says what the run says" \
	'[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"'
check "enable a leaked range: says it is System RAM" \
	'grep -q "is still System RAM" "$tmp/b"'

# 5. what a killed command left is finished by the next real run, first:
#    the preview does not do it, and says the run will
journal=/run/cxl-sysram.journal
echo "setting $MEMORY/auto_online_blocks $(cat $MEMORY/auto_online_blocks)" >$journal
preview "left by a kill" "$CXL" disable-region all
check "left by a kill -n: warns that the run repairs first" \
	'grep -q "a killed command left work to finish (setting $MEMORY/auto_online_blocks" "$tmp/perr"'
check "left by a kill -n: the journal is left" '[ -s $journal ]'
"$CXL" disable-region all >/dev/null 2>&1
check "left by a kill: the run repairs" '[ ! -s $journal ]'

finish
