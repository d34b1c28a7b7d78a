#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libcxl and libkmod are opened by the commands that need them, not
# linked (a listing starts without them and the libcrypto they bring):
# the binary names neither, and where libcxl cannot be opened a command
# that needs it says so in one line, exits 1 and writes nothing (run
# through test/sim/run, whose mount namespace hides the library).
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq readelf strace
. "$(dirname "$0")/sim-lib.sh"
rc=1

needed=$(readelf -d "$CXL" | awk '/NEEDED/ { print $NF }' | tr -d '[]')
echo "# $CXL needs: $(echo $needed)"
check "not linked to libcxl or libkmod" \
	'! grep -qE "^lib(cxl|kmod)\.so" <<<"$needed"'

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
r=$("$CXL" create-region -m "$m0" "$m1" -s 512m --mode=devdax 2>/dev/null |
	jq -r .region)
check "a region made with libcxl ($r)" '[ -n "$r" ] && [ "$r" != null ]'

lib=$(ldd "$CXL_UPSTREAM_BIN" | awk '$1 == "libcxl.so.1" { print $3 }')
check "upstream's libcxl found ($lib)" '[ -f "$lib" ]'
mount --bind /dev/null "$lib"
refused "no libcxl: create" "$CXL" create-region -m "$m0" "$m1" -s 512m \
	--mode=sysram
check "no libcxl: create names it ($(cat "$tmp/e"))" \
	'grep -q "cannot open the CXL topology: .*libcxl.so.1" "$tmp/e"'
refused "no libcxl: destroy" "$CXL" destroy-region -f "$r"
check "no libcxl: destroy names it" 'grep -q "libcxl.so.1" "$tmp/e"'
umount "$lib"

destroy_ok "$r"
finish
