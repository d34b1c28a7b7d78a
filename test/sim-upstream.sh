#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test/sim-upstream.sh SUITE: our cxl over one upstream cxl-cli as users
# have it: SUITE "host" is this machine's /usr/bin/cxl (Debian 12: 76.1),
# "trixie" (81) and "sid" (85) are Debian's packages, run from a private
# root (test/upstream/fetch). Inside the simulator:
#  - commands we do not implement pass through byte for byte (stdout,
#    stderr, exit status);
#  - `cxl list` for each set of flags equals upstream's once our own keys
#    are removed, key order included; what we fill in for an older upstream
#    (type, locked, daxregion) equals what the newest upstream (sid) prints,
#    in its position.
. "$(dirname "$0")/common"
. "$(dirname "$0")/sim-lib.sh"

suite=${1:?usage: sim-upstream.sh host|trixie|sid}
fetch=$(dirname "$0")/upstream/fetch
check_prereq jq
case $suite in
host)
	up=/usr/bin/cxl
	[ -x $up ] || do_skip "no /usr/bin/cxl"
	;;
*)
	rc=0
	root=$("$fetch" "$suite") || rc=$?
	[ $rc = 0 ] || do_skip "upstream cxl of $suite cannot be had (exit $rc)"
	up=$root/bin/cxl
	;;
esac
newest=
if root=$("$fetch" sid 2>/dev/null); then
	newest=$root/bin/cxl
fi
export CXL_UPSTREAM=$up
echo "upstream: $("$up" --version) ($suite)"

# a RAM region as a dax device, one as System RAM (ours), a pmem region
# (upstream 76.1 creates pmem regions too), and a disabled pmem region
"$CXL" create-region -d decoder0.0 -m mem0 --mode=devdax >/dev/null 2>&1 ||
	bad "create a ram region"
"$CXL" create-region -d decoder0.1 -m mem2 mem4 --mode=sysram --online=movable \
	>/dev/null 2>&1 || bad "create a ram region online movable"
r1=$("$up" create-region -t pmem -d decoder0.2 -m mem1 -s 256M 2>/dev/null |
	jq -r .region)
check "upstream creates a pmem region" '[ -n "$r1" ] && [ "$r1" != null ]'

r2=$("$up" create-region -t pmem -d decoder0.3 -m mem0 mem4 -s 512M \
	2>/dev/null | jq -r .region)
check "upstream creates an x2 pmem region" '[ -n "$r2" ] && [ "$r2" != null ]'
"$up" disable-region "$r2" >/dev/null 2>&1 || bad "disable $r2"
# a locked region where the kernel has the attribute
if [ -e "/sys/bus/cxl/devices/$r1/locked" ]; then
	echo "$r1" >"$SIM/locked"
fi

# --- passthrough, byte for byte ---
passthrough=(
	"read-labels mem0"
	"reserve-dpa"
	"set-partition"
	"wait-sanitize mem0"
	"enable-memdev mem0"
	"disable-memdev"
	"enable-port -h"
	"disable-bus"
	"update-firmware"
	"free-dpa"
	"inject-media-poison"
	"no-such-command"
	"list --list-opts"
	"list -X -h"
	"list --bogus"
)
for c in "${passthrough[@]}"; do
	# shellcheck disable=SC2086 # word splitting wanted
	a_rc=0; "$up" $c >"$tmp/a.out" 2>"$tmp/a.err" || a_rc=$?
	# shellcheck disable=SC2086
	b_rc=0; "$CXL" $c >"$tmp/b.out" 2>"$tmp/b.err" || b_rc=$?
	check "passthrough '$c': exit $b_rc, upstream $a_rc" "[ $a_rc = $b_rc ]"
	check "passthrough '$c': stdout" "cmp -s $tmp/a.out $tmp/b.out"
	check "passthrough '$c': stderr" "cmp -s $tmp/a.err $tmp/b.err" ||
		diff "$tmp/a.err" "$tmp/b.err" | head -5
done

# --- cxl list ---
ours='def ours: has("decode_state") and has("region");
	walk(if type == "object" and ours then
		del(.mode, .region_driver, .sysram, .decoder) else . end)'
regions='[.. | objects | select(has("decode_state") and has("region"))]'
flags=(-R -RT -RX -M -D -BMDPTE -vvv "-R -u" -RTXi)
has_dax=0
# (--list-opts exits 130: under pipefail a pipeline from it always fails)
opts=$("$up" list --list-opts 2>/dev/null || true)
[[ $opts != *--dax* ]] || has_dax=1
for f in "${flags[@]}"; do
	# an upstream older than -X (v77) lists the same without daxregion
	uf=$f
	[ $has_dax = 1 ] || uf=$(sed 's/X//g' <<<"$f")
	# shellcheck disable=SC2086
	a_rc=0; "$up" list $uf >"$tmp/a.out" 2>"$tmp/a.err" || a_rc=$?
	# shellcheck disable=SC2086
	b_rc=0; "$CXL" list $f >"$tmp/b.out" 2>"$tmp/b.err" || b_rc=$?
	check "list $f: exit $b_rc, upstream $a_rc" "[ $a_rc = $b_rc ]"
	check "list $f: stderr" "cmp -s $tmp/a.err $tmp/b.err"
	if [ $a_rc != 0 ] || [ ! -s "$tmp/a.out" ]; then
		check "list $f: stdout (upstream exit $a_rc)" \
			"cmp -s $tmp/a.out $tmp/b.out"
		continue
	fi
	# what we fill in for an older upstream is compared below
	jq -c "$ours" "$tmp/b.out" >"$tmp/b.json"
	jq -c --slurpfile up "$tmp/a.out" '
		def fill: ["type", "locked", "daxregion"];
		def strip($u): if $u == null then . else
			with_entries(select(.key as $k |
				(fill | index($k)) == null or ($u | has($k)))) end;
		def regs: [.. | objects | select(has("decode_state") and has("region"))];
		($up[0] | regs | map({(.region): .}) | add // {}) as $ur |
		walk(if type == "object" and has("decode_state") and has("region")
			then strip($ur[.region]) else . end)' \
		"$tmp/b.json" >"$tmp/b.cmp"
	jq -c . "$tmp/a.out" >"$tmp/a.cmp"
	check "list $f: upstream's output, order included" \
		"cmp -s $tmp/a.cmp $tmp/b.cmp" ||
		diff <(jq . "$tmp/a.cmp") <(jq . "$tmp/b.cmp") | head -20
	[ -n "$newest" ] || continue
	# region objects: ours over any upstream = the newest upstream's
	# shellcheck disable=SC2086
	"$newest" list $f >"$tmp/n.out" 2>/dev/null || continue
	jq -c "$regions" "$tmp/n.out" >"$tmp/n.cmp"
	jq -c "$regions" "$tmp/b.json" >"$tmp/r.cmp"
	check "list $f: regions as the newest upstream prints them" \
		"cmp -s $tmp/n.cmp $tmp/r.cmp" ||
		diff <(jq . "$tmp/n.cmp") <(jq . "$tmp/r.cmp") | head -20
done
# -X is tried as given: one run of upstream where it knows -X, two (its
# refusal, then the listing without it) where it does not
if command -v strace >/dev/null; then
	strace -f -qq -e trace=execve -e signal=none -o "$tmp/st" \
		"$CXL" list -RX >/dev/null 2>&1 || true
	runs=$(grep -c "execve(\"$up\"" "$tmp/st" || true)
	want=$((has_dax ? 1 : 2))
	check "list -RX: upstream ran $runs times (want $want)" \
		'[ "$runs" = $want ]'
else
	echo "# no strace: how often upstream runs for list -RX is not checked"
fi
if [ -e "/sys/bus/cxl/devices/$r1/locked" ]; then
	check "$r1: locked, right after decode_state" \
		'"$CXL" list -R -r "$r1" | jq -e ".[0] | .locked == true and
			(keys_unsorted | index(\"locked\") ==
			 index(\"decode_state\") + 1)" >/dev/null'
else
	check "no locked key without the kernel's attribute" \
		'! "$CXL" list -R | jq -e "any(.[]; has(\"locked\"))" >/dev/null'
fi
# our keys come after all of upstream's, on every region object
"$CXL" list -RTXi | jq -e '.[] | keys_unsorted | (index("mode")) as $m |
	.[$m:] | all(. as $k | ["mode", "region_driver", "sysram",
		"decoder"] | index($k))' >/dev/null
check "our keys last" "[ $? = 0 ]"

[ -s "$SIM/locked" ] && echo clear >"$SIM/locked"
finish
