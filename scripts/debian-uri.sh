#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the URI of the Debian archive this host's apt already uses, so
# that nothing in this tree names an archive host.
#   scripts/debian-uri.sh            the main archive
#   scripts/debian-uri.sh security   the security archive (the host's, or
#                                    the main one's "-security" sibling)
# Exit 1 when the host's apt sources name no Debian archive.
set -euo pipefail

want=${1:-main}
etc=${CXL_APT_ETC:-/etc/apt}

# "URI suites..." of every enabled source, deb822 and one-line
sources() {
	local f
	for f in "$etc"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			function flush() {
				if (uri != "" && en != "no") print uri, suites
				uri = ""; suites = ""; en = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^#/ { next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "enabled:" { en = tolower($2) }
			END { flush() }' "$f"
	done
	for f in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" { print $2, $3 }'
	done
}

all=$(sources)
main=$(awk '$2 !~ /-security/ && $1 !~ /security/ { print $1; exit }' <<<"$all")
sec=$(awk '$2 ~ /-security/ || $1 ~ /security/ { print $1; exit }' <<<"$all")
case "$want" in
main) uri=$main ;;
security) uri=${sec:-${main:+${main%/}-security}} ;;
*)
	echo "usage: scripts/debian-uri.sh [main|security]" >&2
	exit 129
	;;
esac
[ -n "$uri" ] || {
	echo "debian-uri: no Debian archive in $etc/sources.list*" >&2
	exit 1
}
echo "${uri%/}"
