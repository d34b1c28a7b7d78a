#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reconfigure-region --check-config against the simulator (run through
# test/sim/run --topology=cxl_test --auto-region): the firmware-assembled
# region0 (mem0 and mem1 under decoder0.0, bound to cxl_region with the
# kernel's policy) gets the policy of the rule that matches it; a second
# run changes nothing and writes nothing; regions no rule matches are left
# alone; "all"; the first matching rule wins; dry-run; a failing region;
# bad policy files and bad invocations: one line, and no write.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
check_prereq strace
. "$(dirname "$0")/sim-lib.sh"
[ "$(jq -r .topology $SIM/state)" = cxl_test ] || do_skip "needs --topology=cxl_test"
jq -e '.regions[] | select(.name == "region0" and .auto)' $SIM/state >/dev/null ||
	do_skip "needs --auto-region"
rc=1
conf=$tmp/conf.d
# the policy files are trusted only when no one but root can write them
mkdir -m 0755 "$conf"

# one region and the memory blocks it owns
region_state()
{
	jq -S --arg r "$1" '{region: [.regions[] | select(.name == $r)],
		dax: [.dax_devices[] | select(.region == "dax_" + $r)],
		blocks: [.memory.blocks[] | select(.owner != null and
			(.owner | startswith("dax" + ($r | ltrimstr("region")) + ".")))]}' \
		$SIM/state
}

# traced OUT ERR CMD...: run_traced, and $sw: the writes the simulator
# saw, minus libcxl's flushes (the same count as $nw, seen from the other
# side)
traced()
{
	echo reset > $SIM/stats
	run_traced "$@"
	sw=$(($(writes) - nf))
}

check_config() # OUT ERR ARGS...: reconfigure-region --check-config
{
	local out=$1 errf=$2

	shift 2
	traced "$out" "$errf" "$CXL" reconfigure-region --check-config \
		--config-dir="$conf" "$@"
}

rule() # FILE TEXT: a policy file, root's and 0644 whatever the umask
{
	printf '%s\n' "$2" >"$conf/$1"
	chmod 0644 "$conf/$1"
}

echo online > $MEMORY/auto_online_blocks

# 0. the auto region as the firmware left it
check "region0 bound to cxl_region" \
	'[ "$(jq -r ".regions[] | select(.name == \"region0\") | .driver" $SIM/state)" = cxl_region ]'
check "region0 online in ZONE_NORMAL (the kernel policy)" 'check_blocks region0 online Normal'
serials=$("$CXL" list -M | jq -r 'map(select(.memdev == "mem0" or .memdev == "mem1") |
	.serial) | sort | join(",")')
check "mem0 and mem1 serials 0 and 4 (got $serials)" '[ "$serials" = "0,4" ]'

# 1. no rule for it: left alone, nothing written, nothing on stdout
rule 10-other.conf "[region other]
match.serial = 7, 0x8
online = kernel"
before=$(state)
check_config "$tmp/out" "$tmp/err" region0
check "no rule: exit 0 (got $code)" '[ $code = 0 ]'
check "no rule: says so" 'grep -q "no rule for region0" "$tmp/err"'
check "no rule: nothing on stdout" '[ ! -s "$tmp/out" ]'
check "no rule: no write ($nw, simulator $sw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "no rule: state unchanged" '[ "$(state)" = "$before" ]'

# 2. a rule for it (serials in another order, in hex, after the first
#    file): dry-run plans, writes nothing
rule 20-pool.conf "# the expander pair
[region pool]   ; by serial, in any order
match.serial = 0x4, 0
online = movable"
check_config "$tmp/out" "$tmp/err" region0 -n
check "dry-run: exit 0 (got $code)" '[ $code = 0 ]'
check "dry-run: changed false" '[ "$(jq -r .changed "$tmp/out")" = false ]'
check "dry-run: a plan" '[ "$(jq ".plan | length" "$tmp/out")" -gt 0 ]'
check "dry-run: no write ($nw, simulator $sw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "dry-run: state unchanged" '[ "$(state)" = "$before" ]'

# 3. the rule applies: movable
check_config "$tmp/out" "$tmp/err" region0
check "apply: exit 0 (got $code) $(head -c 300 "$tmp/err")" '[ $code = 0 ]'
check "apply: names the rule" 'grep -q "rule .pool. ($conf/20-pool.conf:2) applies" "$tmp/err"'
check "apply: one region object" '[ "$(jq -r .region "$tmp/out")" = region0 ]'
check "apply: changed true" '[ "$(jq -r .changed "$tmp/out")" = true ]'
check "apply: previous was cxl_region" \
	'[ "$(jq -r .previous.region_driver "$tmp/out")" = cxl_region ]'
check "apply: online_movable in the JSON" \
	'[ "$(jq -r .sysram.online_type "$tmp/out")" = online_movable ]'
check "apply: every block online in ZONE_MOVABLE" 'check_blocks region0 online Movable'
check "apply: reconfigured 1 region" 'grep -q "reconfigured 1 region" "$tmp/err"'
echo "check-config region0 ($CXL_SIM_PROFILE): $nw writes"

# 4. again: changed false, and not a single write
before=$(state)
check_config "$tmp/out" "$tmp/err" region0
check "twice: exit 0 (got $code)" '[ $code = 0 ]'
check "twice: changed false" '[ "$(jq -r .changed "$tmp/out")" = false ]'
check "twice: no write ($nw, simulator $sw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "twice: state unchanged" '[ "$(state)" = "$before" ]'

# 5. a region of the admin's that no rule matches: left alone by "all"
r1=$("$CXL" create-region -d decoder0.1 -m mem2 mem4 -s 512m --online=kernel 2>/dev/null |
	jq -r .region)
before=$(state)
check_config "$tmp/out" "$tmp/err" all
check "all: exit 0 (got $code)" '[ $code = 0 ]'
check "all: an array of region0 only" \
	'[ "$(jq -c "map(.region)" "$tmp/out")" = "[\"region0\"]" ]'
check "all: region0 changed false" '[ "$(jq -r ".[0].changed" "$tmp/out")" = false ]'
check "all: no rule for $r1" 'grep -q "no rule for $r1" "$tmp/err"'
check "all: no write ($nw, simulator $sw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "all: state unchanged" '[ "$(state)" = "$before" ]'

# 6. a rule by host and root decoder for it, and a rule before "pool"
#    that also matches region0: the first one wins
rule 30-near.conf "[region near]
match.host = cxl_mem.2, cxl_mem.1
match.decoder = 0.1
mode = devdax"
rule 05-first.conf "[region first]
match.decoder = decoder0.0
online = offline
method = auto"
check_config "$tmp/out" "$tmp/err" all
check "all, two rules: exit 0 (got $code) $(head -c 300 "$tmp/err")" '[ $code = 0 ]'
check "all, two rules: both regions" \
	'[ "$(jq -c "map(.region)" "$tmp/out")" = "[\"region0\",\"$r1\"]" ]'
check "all, two rules: both changed" '[ "$(jq -c "map(.changed)" "$tmp/out")" = "[true,true]" ]'
check "first rule wins: region0 offline" 'check_blocks region0 offline'
check "first rule wins: names it" 'grep -q "region0: rule .first." "$tmp/err"'
check "host + decoder: $r1 devdax, nothing hot-added" \
	'[ "$(jq -r ".[1].mode" "$tmp/out")" = devdax ] && check_blocks "$r1" absent'
check "all, two rules: reconfigured 2 regions" 'grep -q "reconfigured 2 regions" "$tmp/err"'
rm "$conf/05-first.conf"

# 7. a region that fails (memory that will not go offline) fails "all",
#    is put back, and the others still get their rule
rule 30-near.conf "[region near]
match.host = cxl_mem.2, cxl_mem.1
online = kernel"
check_config "$tmp/out" "$tmp/err" region0
check "back to movable: exit 0" '[ $code = 0 ] && check_blocks region0 online Movable'
rule 20-pool.conf "[region pool]
match.serial = 0, 4
mode = devdax"
read -r first _ <<<"$(region_blocks region0)"
echo "memory$first" > $SIM/busy
before_r0=$(region_state region0)
check_config "$tmp/out" "$tmp/err" all
echo clear > $SIM/busy
check "busy: exit 1 (got $code)" '[ $code = 1 ]'
check "busy: names memory$first" 'grep -q "memory$first" "$tmp/err"'
check "busy: region0 as before" '[ "$(region_state region0)" = "$before_r0" ]'
check "busy: the other region applied" \
	'[ "$(jq -c "map([.region, .changed])" "$tmp/out")" = "[[\"$r1\",true]]" ]'
check "busy: $r1 online in ZONE_NORMAL" 'check_blocks "$r1" online Normal'

# 8. a region that is not enabled is left alone, even with a rule
"$CXL" disable-region "$r1" 2>/dev/null
before=$(state)
check_config "$tmp/out" "$tmp/err" "$r1"
check "disabled: exit 0, left alone (got $code)" \
	'[ $code = 0 ] && grep -q "$r1: not enabled; left alone" "$tmp/err"'
check "disabled: no write ($nw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "disabled: state unchanged" '[ "$(state)" = "$before" ]'
destroy_ok "$r1"

# 9. a policy file with an error: one line with file:line, exit 1, no write
bad_files=(
	"[region x]|match.serial = 0, 4|online = movabel"
	"[region x]|match.serial = 0, 4|mode = sysram|bogus = 1"
	"[region x]|online = movable"
	"[region x]|match.serial = 0, zero|online = movable"
	"[region x]|match.decoder = ../decoder0.0|online = movable"
	"[region x]|match.serial = 0, 4|mode = devdax|online = kernel"
	"[regoin x]|match.serial = 0, 4|online = movable"
	"[region x|match.serial = 0, 4|online = movable"
	"match.serial = 0, 4|[region x]|online = movable"
	"[region x]|match.serial = 0, 4|online movable"
	"[region pool]|match.serial = 5|online = movable"
	"[region x]|match.serial = 0, 4|online = offline|method = dax-state"
	"[region x]|match.serial = 0, 4|method = region-driver|online = kernel"
	"[region x]|match.serial = 0, 4|mode = default|method = legacy"
	"[region x]|match.serial = 0, 4|mode = default|online = online"
)
before=$(state)
for b in "${bad_files[@]}"; do
	rule 25-bad.conf "${b//|/$'\n'}"
	for target in region0 all; do
		check_config "$tmp/out" "$tmp/err" $target
		check "bad '$b' $target: exit 1 (got $code)" '[ $code = 1 ]'
		check "bad '$b' $target: one line ($(cat "$tmp/err"))" \
			'[ "$(wc -l <"$tmp/err")" = 1 ]'
		check "bad '$b' $target: names file:line" \
			'grep -Eq "$conf/2[05]-(bad|pool).conf:[0-9]+: " "$tmp/err"'
		check "bad '$b' $target: nothing on stdout" '[ ! -s "$tmp/out" ]'
		check "bad '$b' $target: no write ($nw, simulator $sw)" \
			'[ "$nw" = 0 ] && [ "$sw" = 0 ]'
	done
done
check "bad files: state unchanged" '[ "$(state)" = "$before" ]'
rm "$conf/25-bad.conf"

# 9b. policy files that cannot be trusted: one line naming the file and
#     why, exit 1, nothing applied (not even the good rule of 20-pool.conf,
#     which would make region0 devdax), no write, and nothing of the
#     file's content in the message
secret='root:$6$never-echoed:19000:0:99999:7:::'
printf '%s\n' "$secret" >"$tmp/secret"
refused() # NAME WHY: one refusal
{
	local name=$1 why=$2

	before=$(state)
	for target in region0 all; do
		check_config "$tmp/out" "$tmp/err" $target
		check "$1 $target: exit 1 (got $code)" '[ $code = 1 ]'
		check "$1 $target: one line ($(cat "$tmp/err"))" \
			'[ "$(wc -l <"$tmp/err")" = 1 ]'
		check "$1 $target: says why" 'grep -qF "$name: refused: $why" "$tmp/err"'
		check "$1 $target: nothing echoed" '! grep -q never-echoed "$tmp/err"'
		check "$1 $target: nothing on stdout" '[ ! -s "$tmp/out" ]'
		check "$1 $target: no write ($nw, simulator $sw)" \
			'[ "$nw" = 0 ] && [ "$sw" = 0 ]'
	done
	check "$1: state unchanged" '[ "$(state)" = "$before" ]'
}
rule 25-bad.conf "$secret"
chmod 0666 "$conf/25-bad.conf"
refused "$conf/25-bad.conf" "writable by group and others"
chmod 0620 "$conf/25-bad.conf"
refused "$conf/25-bad.conf" "writable by group"
chmod 0644 "$conf/25-bad.conf"
chown 65534 "$conf/25-bad.conf"
refused "$conf/25-bad.conf" "owned by uid 65534, not root"
rm "$conf/25-bad.conf"
ln -s "$tmp/secret" "$conf/25-bad.conf"
refused "$conf/25-bad.conf" "a symlink leaving $conf"
rm "$conf/25-bad.conf"
ln -s ../secret "$conf/25-bad.conf"
refused "$conf/25-bad.conf" "a symlink leaving $conf"
rm "$conf/25-bad.conf"
chmod 0777 "$conf"
refused "$conf" "writable by group and others"
chmod 0755 "$conf"

# 9c. entries that are not files: one warning each, the others apply
#     (dry run: the plan of the pool rule)
mkfifo "$conf/25-fifo.conf"
mkdir "$conf/26-dir.conf"
ln -s nowhere "$conf/27-gone.conf"
before=$(state)
check_config "$tmp/out" "$tmp/err" region0 -n
check "not files: exit 0 (got $code)" '[ $code = 0 ]'
check "not files: the FIFO reported" \
	'grep -qF "$conf/25-fifo.conf: skipped: a FIFO, not a regular file" "$tmp/err"'
check "not files: the directory reported" \
	'grep -qF "$conf/26-dir.conf: skipped: a directory, not a regular file" "$tmp/err"'
check "not files: the dangling link reported" \
	'grep -qF "$conf/27-gone.conf: skipped: a dangling symlink" "$tmp/err"'
check "not files: the pool rule applies" 'grep -q "rule .pool. ($conf/20-pool.conf" "$tmp/err"'
check "not files: its plan" '[ "$(jq ".plan | length" "$tmp/out")" -gt 0 ]'
check "not files: no write ($nw, simulator $sw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
check "not files: state unchanged" '[ "$(state)" = "$before" ]'
rm "$conf/25-fifo.conf" "$conf/27-gone.conf"
rmdir "$conf/26-dir.conf"

# 9d. --check-config --dry-run without a region only checks the files;
#     a region may be given as N, as the other region commands take it
check_config "$tmp/out" "$tmp/err" -n
check "lint: exit 0 (got $code)" '[ $code = 0 ]'
check "lint: says so ($(cat "$tmp/err"))" 'grep -q "rules in $conf: no error" "$tmp/err"'
check "lint: nothing on stdout" '[ ! -s "$tmp/out" ]'
rule 25-bad.conf "[region x]
match.serial = 3
online = offline
method = dax-state"
check_config "$tmp/out" "$tmp/err" -n
check "lint, impossible rule: exit 1 (got $code)" '[ $code = 1 ]'
check "lint, impossible rule: one line ($(cat "$tmp/err"))" \
	'[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "25-bad.conf:4: method = dax-state with online = offline can never work" "$tmp/err"'
rm "$conf/25-bad.conf"
check_config "$tmp/out" "$tmp/err" 0 -n
check "region 0: exit 0 (got $code)" '[ $code = 0 ] && [ "$(jq -r .region "$tmp/out")" = region0 ]'
traced "$tmp/out" "$tmp/err" "$CXL" reconfigure-region 0 --mode=devdax -n
check "reconfigure-region 0: exit 0 (got $code)" \
	'[ $code = 0 ] && [ "$(jq -r .region "$tmp/out")" = region0 ]'
check "reconfigure-region 0: no write" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'

# 10. bad invocations: one line, exit 129 (usage) or 1, no write
bad_args=(
	"--check-config region0 --online=movable:129"
	"--check-config region0 --mode=devdax:129"
	"--check-config region0 --method=legacy:129"
	"--check-config:129"
	"--check-config region0 all:129"
	"--check-config mem0:129"
	"--check-config 0.0:129"
	"x0 --online=movable:129"
	"--check-config ../region0:129"
	"--check-config region0 --timeout=0:129"
	"region0 --config-dir=$conf --online=movable:129"
	"--check-config region99 --config-dir=$conf:1"
	"--check-config region0 --config-dir=$tmp/none:1"
)
before=$(state)
for a in "${bad_args[@]}"; do
	want=${a##*:}
	# shellcheck disable=SC2086
	traced "$tmp/out" "$tmp/err" "$CXL" reconfigure-region ${a%:*}
	check "bad '${a%:*}': exit $want (got $code)" '[ $code = "$want" ]'
	check "bad '${a%:*}': one line ($(cat "$tmp/err"))" '[ "$(wc -l <"$tmp/err")" = 1 ]'
	check "bad '${a%:*}': nothing on stdout" '[ ! -s "$tmp/out" ]'
	check "bad '${a%:*}': no write ($nw)" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
done
check "bad invocations: state unchanged" '[ "$(state)" = "$before" ]'

# 11. the default directory need not exist: no rule, exit 0
if [ ! -e /etc/cxl/sysram.conf.d ]; then
	traced "$tmp/out" "$tmp/err" "$CXL" reconfigure-region --check-config all
	check "no config dir: exit 0 (got $code)" '[ $code = 0 ]'
	check "no config dir: empty array" '[ "$(jq -c . "$tmp/out")" = "[]" ]'
	check "no config dir: no write" '[ "$nw" = 0 ] && [ "$sw" = 0 ]'
fi

finish
