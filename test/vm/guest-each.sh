#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run several test scripts in one boot: guest-each.sh SCRIPT...
# A SCRIPT that is not a path is taken from this script's folder.
# On a real kernel each script is also judged by the kernel log it caused
# (check_dmesg, guest-lib.sh): a "Call Trace", "BUG:" or "WARNING:" line
# logged while it ran fails it, whatever its exit status.
# Exit 1 if any failed, else 77 if all skipped, else 0.
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=test/vm/guest-lib.sh
. "$here/guest-lib.sh"
fails=() passes=() skips=()
for s in "$@"; do
	[[ $s == */* ]] || s=$here/$s
	echo "=== $s"
	dmesg_mark
	"$s"
	rc=$?
	if ! check_dmesg && { [ $rc = 0 ] || [ $rc = 77 ]; }; then
		rc=1
	fi
	echo "=== $s: exit $rc"
	case $rc in
	0) passes+=("$s") ;;
	77) skips+=("$s") ;;
	*) fails+=("$s") ;;
	esac
done
echo "passed: ${passes[*]:-none}; skipped: ${skips[*]:-none}; failed: ${fails[*]:-none}"
[ ${#fails[@]} -eq 0 ] || exit 1
[ ${#passes[@]} -gt 0 ] || exit 77
exit 0
