#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run several test scripts in one boot: guest-each.sh SCRIPT...
# A SCRIPT that is not a path is taken from this script's folder.
# Exit 1 if any failed, else 77 if all skipped, else 0.
set -uo pipefail
here=$(dirname "$0")
fails=() passes=() skips=()
for s in "$@"; do
	[[ $s == */* ]] || s=$here/$s
	echo "=== $s"
	"$s"
	rc=$?
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
