# SPDX-License-Identifier: GPL-2.0
#
# Structural comparison of two fidelity captures (see fidelity.sh):
#   jq -n -r --slurpfile vm A.json --slurpfile sim B.json -f fidelity.jq
# prints one line per difference, "PATH: what", nothing when the two have
# the same objects and keys. Values are compared only for identity keys
# (object names, drivers, modes, block states); other values only by type.

# (--argjson extra KEYS adds keys compared by value)
def idkeys: ["bus", "port", "endpoint", "memdev", "decoder", "region",
	"chardev", "dport", "target", "provider", "driver", "block", "state",
	"valid_zones", "node", "mode", "auto_online_blocks", "block_size_bytes",
	"result"] + ($ARGS.named.extra // []);

# the identity of an array element: its first identity value, else null
def ident: if type == "object" then
		[to_entries[] | select(.key as $k | idkeys | index($k)) |
		 "\(.key)=\(.value)"][0]
	else null end;

# keep identity values, replace any other scalar by its type
def shape: if type == "object" then
		with_entries(if (.key as $k | idkeys | index($k)) and
			     (.value | type) != "object" and (.value | type) != "array"
			then . else .value |= shape end)
	elif type == "array" then map(shape)
	else type end;

# array -> object keyed by identity (index when an element has none)
def keyed: to_entries | map({key: (.value | ident // "#\(.key)"), value: .value}) |
	from_entries;

def diffs($a; $b; $p):
	if ($a | type) != ($b | type) then
		"\($p): vm \($a | tojson | .[0:60]), sim \($b | tojson | .[0:60])"
	elif ($a | type) == "array" then
		diffs($a | keyed; $b | keyed; $p)
	elif ($a | type) == "object" then
		(($a | keys) - ($b | keys) | .[] | "\($p).\(.): only in vm"),
		(($b | keys) - ($a | keys) | .[] | "\($p).\(.): only in sim"),
		(($a | keys) - (($a | keys) - ($b | keys)) | .[] as $k |
		 diffs($a[$k]; $b[$k]; "\($p).\($k)"))
	elif $a != $b then "\($p): vm \($a | tojson), sim \($b | tojson)"
	else empty end;

diffs($vm[0] | shape; $sim[0] | shape; "")
