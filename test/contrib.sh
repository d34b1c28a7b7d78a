#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot-time policy glue of contrib/: the udev rule is well formed and
# asks systemd for cxl-sysram-config@<region>.service on the "add" of a cxl
# region; the unit (as built) is a oneshot template that runs
# "<bindir>/cxl reconfigure-region --check-config %i" and that
# systemd-analyze accepts; the rules of the example policy file parse.
#
# usage: contrib.sh <built unit> <udev rule> <example policy file>
set -u
CXL=${CXL:?CXL must point at the built cxl}
unit=${1:?the built cxl-sysram-config@.service}
rules=${2:?the udev rule}
example=${3:?sysram.conf.example}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# 1. the udev rule: every line a comment, blank, or comma-separated
#    KEY[{attr}]OP"value" pairs (udevadm verify is not in Debian 12's udev)
pair='[A-Z_]+(\{[A-Za-z0-9_.]+\})?(==|!=|\+=|-=|:=|=)"[^"]*"'
check "rule: SPDX header first" \
	'[ "$(head -n1 "$rules")" = "# SPDX-License-Identifier: GPL-2.0" ]'
n=0
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	[[ -z $line || $line == \#* ]] && continue
	check "rule line $n is KEY==\"value\", ...: $line" \
		'grep -Eqx "$pair(, *$pair)*" <<<"$line"'
done <"$rules"
active=$(grep -v -e '^#' -e '^$' "$rules")
check "rule: one active line" '[ "$(wc -l <<<"$active")" = 1 ]'
for want in 'ACTION=="add"' 'SUBSYSTEM=="cxl"' 'KERNEL=="region*"' \
	'TAG+="systemd"' \
	'ENV{SYSTEMD_WANTS}+="cxl-sysram-config@$kernel.service"'; do
	check "rule: $want" 'grep -qF -- "$want" <<<"$active"'
done
if command -v udevadm >/dev/null && udevadm verify --help >/dev/null 2>&1; then
	check "udevadm verify accepts the rule" 'udevadm verify "$rules" >/dev/null 2>&1'
else
	echo "udevadm verify not available: checked the rule's syntax by pattern only"
fi

# 2. the unit: a oneshot template running --check-config on its instance
name=$(basename "$unit")
check "unit: named as the rule wants ($name)" \
	'[ "$name" = "cxl-sysram-config@.service" ] && grep -qF "${name%@.service}@\$kernel" "$rules"'
check "unit: SPDX header first" \
	'[ "$(head -n1 "$unit")" = "# SPDX-License-Identifier: GPL-2.0" ]'
check "unit: [Unit] and [Service]" \
	'grep -qx "\[Unit\]" "$unit" && grep -qx "\[Service\]" "$unit"'
check "unit: Type=oneshot" 'grep -qx "Type=oneshot" "$unit"'
exec_line=$(grep '^ExecStart=' "$unit")
check "unit: one ExecStart" '[ "$(grep -c "^ExecStart=" "$unit")" = 1 ]'
check "unit: ExecStart=<bindir>/cxl reconfigure-region --check-config %i ($exec_line)" \
	'grep -Eqx "ExecStart=/[^ @]*/cxl reconfigure-region --check-config %i" <<<"$exec_line"'
check "unit: no placeholder left" '! grep -q "@[A-Z_]*@" "$unit"'
if command -v systemd-analyze >/dev/null; then
	# the unit as installed, but running the cxl just built: the install
	# path need not exist here
	sed "s|^ExecStart=[^ ]*|ExecStart=$CXL|" "$unit" >"$tmp/$name"
	code=0
	systemd-analyze verify --man=no "$tmp/$name" >"$tmp/sa.out" 2>&1 || code=$?
	check "systemd-analyze verify: exit 0, no message (got $code: $(head -n3 "$tmp/sa.out"))" \
		'[ $code = 0 ] && [ ! -s "$tmp/sa.out" ]'
	# and it does notice a broken unit
	sed 's/^Type=oneshot/Type=oneshoot/' "$tmp/$name" >"$tmp/broken@.service"
	systemd-analyze verify --man=no "$tmp/broken@.service" >"$tmp/sa.out" 2>&1
	check "systemd-analyze verify: notices a bad Type" '[ -s "$tmp/sa.out" ]'
else
	echo "systemd-analyze not installed: the unit's syntax was not verified"
fi

# 3. the example: all commented out, and its rules parse once uncommented
check "example: SPDX header first" \
	'[ "$(head -n1 "$example")" = "# SPDX-License-Identifier: GPL-2.0" ]'
check "example: no active line" '! grep -Ev "^(#|$)" "$example" >/dev/null'
# owned by whoever runs the test and writable by no one else, whatever
# the umask: the policy files are refused otherwise
mkdir -m 0755 "$tmp/conf.d"
sed -n 's/^#\([[a-z]\)/\1/p' "$example" >"$tmp/conf.d/example.conf"
chmod 0644 "$tmp/conf.d/example.conf"
nrules=$(grep -c '^\[region ' "$tmp/conf.d/example.conf")
check "example: has rules ($nrules)" '[ "$nrules" -ge 3 ]'
# the files are read before the region is looked up: a region that does
# not exist fails only after a clean parse
"$CXL" reconfigure-region --check-config region2147483647 -n \
	--config-dir="$tmp/conf.d" >"$tmp/out" 2>"$tmp/err"
check "example: the rules parse ($(cat "$tmp/err"))" \
	'grep -q "region2147483647: no such region" "$tmp/err"'
echo "[region broken]" >>"$tmp/conf.d/example.conf"
"$CXL" reconfigure-region --check-config region2147483647 -n \
	--config-dir="$tmp/conf.d" >"$tmp/out" 2>"$tmp/err"
check "example: an incomplete rule is caught ($(cat "$tmp/err"))" \
	'grep -q "example.conf:[0-9]*: rule .broken. has no match key" "$tmp/err"'

echo "$pass passed, $fail failed"
[ $fail = 0 ]
