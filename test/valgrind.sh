#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Clean under valgrind as well as ASan/UBSan. Runs inside the
# simulator (test/sim/run) with CXL_PLAIN, the build without sanitizers:
# every command of the project once on its main paths -- list, dry runs,
# create, each reconfigure, disable/enable, a create that fails midway
# and rolls back, --check-config, a usage error, destroy -- under
# memcheck. Any invalid access, use of uninitialised memory or definite
# or indirect leak fails the test (valgrind exit 99), as does a command
# exiting other than expected. Leaks of the system libraries that are
# still reachable at exit are not ours and are not counted.
set -u
. "$(dirname "$0")/common"
. "$(dirname "$0")/sim-lib.sh"

command -v valgrind >/dev/null || do_skip "valgrind not installed"
PLAIN=${CXL_PLAIN:?CXL_PLAIN must point at the build without sanitizers}
[ -x "$PLAIN" ] || { bad "$PLAIN is not built"; finish; exit 1; }

# vg EXPECTED-EXIT ARGS...: one command under memcheck
n=0
vg()
{
	local want=$1 code=0
	shift
	n=$((n + 1))
	valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect \
		--num-callers=30 --log-file="$tmp/vg.$n" \
		"$PLAIN" "$@" >"$tmp/out" 2>"$tmp/err" || code=$?
	if [ $code = 99 ] || [ -s "$tmp/vg.$n" ]; then
		bad "valgrind: cxl $*"
		cat "$tmp/vg.$n"
	elif [ $code != "$want" ]; then
		bad "cxl $*: exit $code, expected $want: $(head -n3 "$tmp/err")"
	else
		ok
	fi
}

mems=$("$CXL_UPSTREAM_BIN" list -M | jq -r '.[].memdev' | sort -V | head -n2)
# shellcheck disable=SC2086
set -- $mems
m0=$1
m1=$2
before=$(state)

vg 0 list -R -M -D -u
vg 0 create-region -n -m "$m0" "$m1" --online=movable
vg 0 create-region -m "$m0" "$m1" --online=movable -s 512m
region=$(jq -r .region "$tmp/out")
vg 0 list -R -X -u
vg 0 reconfigure-region -v "$region" --online=kernel
vg 0 reconfigure-region "$region" --mode=devdax
vg 0 reconfigure-region "$region" --mode=sysram --online=offline
vg 0 reconfigure-region "$region" --online=movable -n
vg 0 disable-region -n "$region"
vg 0 disable-region "$region"
vg 1 reconfigure-region "$region" --online=kernel
vg 0 enable-region -n "$region" --online=movable
vg 0 enable-region "$region" --online=movable
vg 1 enable-region -n "$region" --mode=devdax

# a create that fails at commit: the rollback path
echo "/sys/bus/cxl/devices/region*/commit 1 ENXIO" >$SIM/fail
vg 1 create-region --debug -m "$m0" "$m1" -s 512m
echo clear >$SIM/fail

# policy files are trusted only when no one else can write them
mkdir -m 0755 "$tmp/conf"
printf '[region all]\nmatch.decoder = %s\nonline = online\n' \
	"$(jq -r .decoder <<<"$("$PLAIN" list -R -r "$region" | jq '.[0]')")" \
	>"$tmp/conf/10-all.conf"
chmod 0644 "$tmp/conf/10-all.conf"
vg 0 reconfigure-region all --check-config --config-dir="$tmp/conf"
# the files only: a refused one, one with an error, a dangling link
printf 'x\n' >"$tmp/conf/20-bad.conf"
chmod 0666 "$tmp/conf/20-bad.conf"
printf '[region x]\nonline = up\n' >"$tmp/conf/30-err.conf"
chmod 0644 "$tmp/conf/30-err.conf"
ln -s nowhere "$tmp/conf/40-gone.conf"
vg 1 reconfigure-region --check-config -n --config-dir="$tmp/conf"
rm "$tmp/conf/20-bad.conf" "$tmp/conf/30-err.conf"
vg 0 reconfigure-region --check-config -n --config-dir="$tmp/conf"

vg 129 create-region -m "$m0" -s 3x
vg 1 reconfigure-region region999 --online=movable
vg 0 destroy-region -n -f all
vg 1 destroy-region -n all
vg 0 destroy-region -f "$region"
check "state as before" '[ "$(state)" = "$before" ]'
finish
