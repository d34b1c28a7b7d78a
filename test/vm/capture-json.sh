#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn the files guest-capture.sh wrote in DIR into one JSON document
# on stdout: capture-json.sh DIR
set -euo pipefail
d=${1:?capture folder}

tsv() { # file: rows as arrays
	jq -R -s 'split("\n") | map(select(length > 0) | split("\t"))' "$1"
}

jq -n --slurpfile before "$d/before.json" --slurpfile after "$d/after.json" \
	--slurpfile daxctl "$d/daxctl.json" \
	--argjson drivers "$(tsv "$d/drivers.tsv")" \
	--argjson drivers_after "$(tsv "$d/drivers-after.tsv")" \
	--argjson errno "$(tsv "$d/errno.tsv")" \
	--argjson attrs "$(tsv "$d/attrs.tsv")" \
	--argjson blocks "$(tsv "$d/blocks.tsv")" \
	--argjson policy "$(jq -R -s 'split("\n") | map(select(length > 0) |
		split(" ") | {(.[0]): .[1]}) | add' "$d/policy")" '
	def drivers: group_by(.[0]) | map({(.[0][0]): (map({(.[1]):
		{driver: (if (.[2] // "") == "" then null else .[2] end)}}) | add)}) | add;
	{before: $before[0], after: $after[0], daxctl: $daxctl[0],
	 drivers: ($drivers | drivers), drivers_after: ($drivers_after | drivers),
	 errno: ($errno | map({(.[0]): {result: .[1]}}) | add),
	 attrs: ($attrs | group_by(.[0]) | map({(.[0][0]): (map({(.[1]): true}) | add)}) | add),
	 blocks: ($blocks | map({block: .[0], state: .[1], valid_zones: .[2], node: .[3]})),
	 policy: $policy}'
