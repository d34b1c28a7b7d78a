#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# enable/disable/destroy-region as the newest upstream (Debian sid's cxl,
# fetched by test/upstream/fetch) does them, run through
# test/sim/run --region-locked:
#  - the decoder filters (-d root, all, switch, endpoint, X.Y, lists)
#    select the regions upstream selects;
#  - a disabled pmem region is enabled as fast as upstream does it;
#  - destroy-region refuses a locked region and an out-of-order destroy
#    with upstream's message and exit status, having written nothing.
. "$(dirname "$0")/common"
. "$(dirname "$0")/sim-lib.sh"

check_prereq jq
check_prereq strace
[ -e /sys/bus/cxl/devices/root0 ] || do_skip "no CXL topology"
rc=0
root=$("$(dirname "$0")/upstream/fetch" sid) || rc=$?
[ $rc = 0 ] || do_skip "upstream cxl of sid cannot be had (exit $rc)"
up=$root/bin/cxl
export CXL_UPSTREAM=$up
B=/sys/bus/cxl/devices

# pmem regions under three root decoders (upstream creates them)
mk() { "$up" create-region -t pmem "$@" 2>/dev/null | jq -r .region; }
ra=$(mk -d decoder0.2 -m mem1 -s 256M)
rb=$(mk -d decoder0.3 -m mem0 mem4 -s 512M)
rc_=$(mk -d decoder0.4 -m mem8 -s 256M)
check "upstream made three pmem regions" \
	'[ -n "$ra" ] && [ -n "$rb" ] && [ -n "$rc_" ] && [ "$ra" != null ]'
enabled() { # the enabled regions, one line
	local r out=
	for r in "$ra" "$rb" "$rc_"; do
		[ -e $B/$r/driver ] && out="$out $r"
	done
	echo "${out# }"
}

# --- decoder filters: what upstream disables, we disable ---
filters=(root all switch endpoint decoder0.3 0.4 "decoder0.2,decoder0.4"
	"decoder0.2 0.3" decoder0.0 nonsense)
for f in "${filters[@]}"; do
	for who in up ours; do
		"$up" enable-region all >/dev/null 2>&1
		tool=$up
		[ $who = ours ] && tool=$CXL
		r=0
		"$tool" disable-region -d "$f" all >"$tmp/$who.out" \
			2>"$tmp/$who.err" || r=$?
		echo "$r $(enabled) $(grep -o 'disabled [0-9]* regions*' \
			"$tmp/$who.err")" >"$tmp/$who.sel"
	done
	check "disable-region -d '$f' all: $(cat "$tmp/ours.sel"), upstream $(cat "$tmp/up.sel")" \
		"cmp -s $tmp/up.sel $tmp/ours.sel"
done
"$up" enable-region all >/dev/null 2>&1
# -b and -d together, and a filter that selects nothing
r=0; "$CXL" disable-region -b root0 -d root "$ra" 2>/dev/null || r=$?
check "-b root0 -d root $ra disables it" '[ $r = 0 ] && [ ! -e $B/$ra/driver ]'

# --- enable-region of a disabled pmem region, as fast as upstream ---
"$up" disable-region "$ra" >/dev/null 2>&1
t0=$(date +%s%N)
"$up" enable-region "$ra" >/dev/null 2>&1
t1=$(date +%s%N)
"$up" disable-region "$ra" >/dev/null 2>&1
r=0
t2=$(date +%s%N)
"$CXL" enable-region "$ra" 2>"$tmp/en.err" || r=$?
t3=$(date +%s%N)
tu=$(((t1 - t0) / 1000000))
to=$(((t3 - t2) / 1000000))
echo "enable-region $ra (pmem): ours ${to} ms, upstream ${tu} ms"
check "enable-region of a disabled pmem region: exit $r" '[ $r = 0 ]'
check "it is enabled" '[ -e $B/$ra/driver ]'
check "as fast as upstream (${to} ms vs ${tu} ms)" \
	'[ $to -le $((tu * 3 + 1000)) ]'
"$CXL" disable-region "$ra" 2>/dev/null
"$CXL" enable-region all 2>/dev/null
check "enable-region all with pmem regions" '[ "$(enabled)" = "$ra $rb $rc_" ]'
r=0; "$CXL" enable-region --mode=sysram "$ra" 2>"$tmp/err" || r=$?
check "--mode on a pmem region is refused" \
	'[ $r = 1 ] && grep -q "pmem region" "$tmp/err"'

# --- out-of-order destroy: a later decoder of mem1 still holds DPA ---
rd=$(mk -d decoder0.2 -m mem1 -s 256M)
check "a second pmem region on mem1" '[ -n "$rd" ] && [ "$rd" != null ]'
later=$(jq -r '.[0].mappings[0].decoder' <<<"$("$up" list -RT -r "$rd")")
for tool in "$up" "$CXL"; do
	echo reset >$SIM/stats
	before=$(state)
	run_traced "$tmp/o.out" "$tmp/o.err" "$tool" destroy-region -f "$ra"
	sw=$(writes)
	after=$(state)
	who=ours
	[ "$tool" = "$up" ] && who=upstream
	check "$who: out-of-order destroy exits 1 (got $code)" '[ $code = 1 ]'
	check "$who: says why" \
		'grep -q "$ra: destroy blocked, mem1 still has later active decoder $later" "$tmp/o.err"'
	check "$who: nothing written ($nw writes traced, $sw in the simulator)" \
		'[ "$nw" = 0 ] && [ "$after" = "$before" ]'
	check "$who: $ra still enabled" '[ -e $B/$ra/driver ]'
	cp "$tmp/o.err" "$tmp/$who.oerr"
done
check "the same message as upstream" \
	'[ "$(grep -o "$ra: destroy blocked.*" "$tmp/ours.oerr")" = "$(grep -o "$ra: destroy blocked.*" "$tmp/upstream.oerr")" ]'

# --- a locked region (kernel 7.1's regionZ/locked) ---
if [ -e $B/$rd/locked ]; then
	echo "$rd" >$SIM/locked
	check "$rd/locked reads 1" '[ "$(cat $B/$rd/locked)" = 1 ]'
	for tool in "$up" "$CXL"; do
		who=ours
		[ "$tool" = "$up" ] && who=upstream
		before=$(state)
		run_traced "$tmp/l.out" "$tmp/l.err" "$tool" destroy-region -f "$rd"
		after=$(state)
		check "$who: locked destroy exits 1 (got $code)" '[ $code = 1 ]'
		check "$who: says why" \
			'grep -q "$rd: cannot destroy a locked region" "$tmp/l.err"'
		check "$who: nothing written ($nw writes)" \
			'[ "$nw" = 0 ] && [ "$after" = "$before" ]'
	done
	check "$rd still there and enabled" '[ -e $B/$rd/driver ]'
	# the kernel refuses to reset a locked region's decoders
	check "commit=0 on a locked region is EPERM" \
		'! echo 0 2>/dev/null >$B/$rd/commit'
	echo clear >$SIM/locked
else
	bad "no $rd/locked: run with --region-locked"
fi

# newest first, so "all" can free every decoder
r=0; "$CXL" destroy-region -f all 2>"$tmp/err" || r=$?
check "destroy-region -f all: exit $r" '[ $r = 0 ]'
check "no region left" '[ -z "$(ls -d $B/region* 2>/dev/null)" ]'
finish
