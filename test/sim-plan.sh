#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The plan tells the truth (run through test/sim/run, qemu2): for every
# --mode and --online, the writes a dry run plans are the writes the real
# run makes, in order, and the method the plan names is the method the
# result reports; a plan that cannot know yet (the dax state attribute is
# known only once kmem has a device) says null and lists the candidates,
# and the run's method is one of them. Each case runs twice: before any
# device is bound to kmem (capabilities unknown) and next to a sysram
# region that shows them. Then the same for reconfigure-region.
. "$(dirname "$0")/common"

rc=77
set -e
trap 'err $LINENO' ERR
check_prereq jq
. "$(dirname "$0")/sim-lib.sh"
rc=1

# plan_ok NAME PLAN RESULT-METHOD: the plan's method agrees with the run's
plan_method_ok()
{
	local pm cand run=$3

	pm=$(jq -r '.method // "null"' "$2")
	cand=$(jq -r '(.method_candidates // []) | join(" ")' "$2")
	if [ "$pm" = null ]; then
		check "$1: unknown plan lists the run's method ($run in: $cand)" \
			'[ -n "$cand" ] && grep -qw -- "$run" <<<"$cand"'
	else
		check "$1: plan method $pm = result method $run" \
			'[ "$pm" = "$run" ]'
	fi
}

compare()
{
	local name=$1 fn=$2 method=$3

	real_writes "$fn" "$tmp/dbg" >"$tmp/real"
	planned_writes "$tmp/plan" "$method" >"$tmp/planned"
	if ! cmp -s "$tmp/planned" "$tmp/real"; then
		bad "$name: plan = real writes"
		diff "$tmp/planned" "$tmp/real" | head -n 20
	else
		ok
	fi
}

create_case()
{
	local name=$1 mem=$2 method

	shift 2
	"$CXL" create-region -n -m "$mem" "$@" >"$tmp/plan" 2>"$tmp/perr" ||
		{ bad "$name: dry run exit $? $(head -n1 "$tmp/perr")"; return; }
	"$CXL" create-region --debug -m "$mem" "$@" >"$tmp/out" 2>"$tmp/dbg" ||
		{ bad "$name: run exit $? $(grep -v ': write ' "$tmp/dbg" | tail -n1)"; return; }
	method=$(jq -r '.sysram.method // .mode' "$tmp/out")
	compare "$name" cmd_create_region "$method"
	if [ "$(jq -r .mode "$tmp/out")" = sysram ]; then
		plan_method_ok "$name" "$tmp/plan" "$method"
	elif jq -e 'has("method")' "$tmp/plan" >/dev/null; then
		check "$name: devdax plan method names an interface" \
			'[ "$(jq -r .method "$tmp/plan")" != null ]'
	fi
	destroy_ok "$(jq -r .region "$tmp/out")"
}

cases()
{
	local tag=$1 mem=$2 o

	for o in offline online kernel movable; do
		create_case "$tag sysram $o" "$mem" --mode=sysram --online=$o
	done
	create_case "$tag devdax" "$mem" --mode=devdax
	create_case "$tag default" "$mem" --mode=default
}

m0=$("$CXL" list -M | jq -r '.[0].memdev')
m1=$("$CXL" list -M | jq -r '.[1].memdev')
half=$((256 << 20))

cases unknown "$m0"

# next to a sysram region: kmem has a device, the plan knows
"$CXL" create-region -m "$m0" -s $half --online=movable >"$tmp/keep" 2>/dev/null
keep=$(jq -r .region "$tmp/keep")
cases known "$m1"
destroy_ok "$keep"

# reconfigure: plan = writes for each transition, from movable
"$CXL" create-region -m "$m0" "$m1" --online=movable >"$tmp/r" 2>/dev/null
r=$(jq -r .region "$tmp/r")
for to in "--online=kernel" "--mode=devdax" "--online=movable" \
	"--online=offline" "--online=online" "--mode=sysram --online=movable"; do
	# shellcheck disable=SC2086 # $to is one or two options
	"$CXL" reconfigure-region -n "$r" $to >"$tmp/plan" 2>"$tmp/perr" ||
		{ bad "reconfigure $to: dry run exit $? $(head -n1 "$tmp/perr")"; continue; }
	# shellcheck disable=SC2086
	"$CXL" reconfigure-region --debug "$r" $to >"$tmp/out" 2>"$tmp/dbg" ||
		{ bad "reconfigure $to: run exit $?"; continue; }
	method=$(jq -r '.sysram.method // .mode' "$tmp/out")
	compare "reconfigure $to" cmd_reconfigure_region "$method"
	[ "$(jq -r .mode "$tmp/out")" = sysram ] &&
		plan_method_ok "reconfigure $to" "$tmp/plan" "$method"
done
destroy_ok "$r"

finish
