#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What destroy-region and create-region refuse before any write (run
# through test/sim/run, qemu2, every profile): a region whose memory was
# left online by disable-region --force, and a devdax region whose
# /dev/daxZ.Y is open
# (unless --force-open, which -f alone is not); and a create on an
# address range that is still System RAM fails at once, not after the
# whole --timeout.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
create=(create-region -m "$m0" "$m1" -s 512m)

# 1. an open devdax: -f is not enough, --force-open is (the out-of-order
#    refusal is upstream's, tested against upstream in sim-upstream-regions)
a=$("$CXL" "${create[@]}" --mode=devdax 2>/dev/null | jq -r .region || true)
if [ -n "$a" ] && [ "$a" != null ]; then
	dax=$("$CXL" list -RX -r "$a" | jq -r '.[0].daxregion.devices[0].chardev')
	exec 3<"/dev/$dax"
	refused "open devdax: destroy -f" "$CXL" destroy-region -f "$a"
	check "open devdax: names the pid" 'grep -q "pid $$" "$tmp/e"'
	code=0
	"$CXL" destroy-region -f --force-open "$a" >/dev/null 2>&1 || code=$?
	check "open devdax: --force-open destroys it" \
		'[ $code = 0 ] && [ ! -e "/sys/bus/cxl/devices/$a" ]'
	exec 3<&-
else
	bad "devdax region for the open test not created"
fi

# 1b. a file of the same name in another mount namespace (a container,
#     another simulator) is not the device: no refusal; the device held
#     through another name is
a=$("$CXL" "${create[@]}" --mode=devdax 2>/dev/null | jq -r .region || true)
if [ -n "$a" ] && [ "$a" != null ]; then
	dax=$("$CXL" list -RX -r "$a" | jq -r '.[0].daxregion.devices[0].chardev')
	unshare -m --propagation private bash -c \
		"mount -t tmpfs other /dev && touch /dev/$dax &&
		 exec 3</dev/$dax && echo ready >$tmp/other && exec sleep 30" &
	other=$!
	for _ in $(seq 50); do [ -s "$tmp/other" ] && break; sleep 0.1; done
	check "other namespace: holds its own /dev/$dax" '[ -s "$tmp/other" ]'
	ln -s "/dev/$dax" "$tmp/alias"
	exec 3<"$tmp/alias"
	refused "open through another name: destroy -f" "$CXL" destroy-region -f "$a"
	check "open through another name: names the pid" 'grep -q "pid $$" "$tmp/e"'
	check "open through another name: not the other namespace's pid" \
		'! grep -q "pid $other\b" "$tmp/e"'
	exec 3<&-
	code=0
	"$CXL" destroy-region -f "$a" >"$tmp/o" 2>"$tmp/e" || code=$?
	check "other namespace's file: destroy -f goes through ($(tail -n1 "$tmp/e"))" \
		'[ $code = 0 ] && [ ! -e "/sys/bus/cxl/devices/$a" ]'
	kill "$other" 2>/dev/null || true
	wait "$other" 2>/dev/null || true
else
	bad "devdax region for the namespace test not created"
fi


# 2. memory left online by disable-region --force (last: the range stays
#    leaked for the rest of the run)
r=$("$CXL" "${create[@]}" --online=movable 2>/dev/null | jq -r .region)
first=$("$CXL" list -R -r "$r" | jq -r '.[0].sysram.memory.blocks')
blk=$(jq -r --arg r "$r" '[.memory.blocks[] | select(.state == "online")][0].id' $SIM/state)
echo "memory$blk" >$SIM/busy
"$CXL" disable-region -f "$r" >/dev/null 2>&1
refused "leaked: destroy" "$CXL" destroy-region -f "$r"
check "leaked: says the memory is still online" \
	'grep -q "still online with no driver holding it" "$tmp/e"'
# upstream deletes it anyway; the next create gets the same range
"$CXL_UPSTREAM_BIN" destroy-region -f "$r" >/dev/null 2>&1 || true
t0=$(date +%s)
code=0
"$CXL" "${create[@]}" --online=movable --timeout=20 >/dev/null 2>"$tmp/e" || code=$?
t1=$(date +%s)
check "leaked range: create exit 1 (got $code)" '[ $code = 1 ]'
check "leaked range: says it is System RAM" 'grep -q "is still System RAM" "$tmp/e"'
check "leaked range: at once, not after the timeout ($((t1 - t0)) s)" \
	'[ $((t1 - t0)) -lt 10 ]'
echo clear >$SIM/busy
check "leaked range: nothing left of the create" \
	'[ "$("$CXL" list -R | jq length)" = 0 ]'
[ "$first" != null ]

finish
