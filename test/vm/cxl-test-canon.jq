# SPDX-License-Identifier: GPL-2.0
#
# Give the objects of a cxl_test listing names that do not depend on probe
# order: under the kernel's mock the numbers of ports, endpoints, memdevs
# and decoders change from boot to boot, the platform devices behind them
# do not. portN -> port@<host>, endpointN -> endpoint@<memdev's host>,
# memN -> its host (cxl_mem.N, cxl_rcd.N), decoderN.K -> <its port>/K;
# in values and in keys such as "ports:portN".
#   jq -f cxl-test-canon.jq LISTING.json [--slurpfile also OTHER.json]
# The names are learnt from the listing itself (and from $also, a second
# listing of the same boot, when given).

def learn:
	([.. | objects | select(has("memdev") and has("serial"))
	  | {key: .memdev, value: .host}] | from_entries) as $mem
	| ([.. | objects | select(has("port") and has("host"))
	    | {key: .port, value: "port@\(.host)"}] | from_entries) as $ports
	| ([.. | objects | select(has("endpoint") and has("host"))
	    | {key: .endpoint, value: "endpoint@\($mem[.host] // .host)"}]
	   | from_entries) as $eps
	| $mem + $ports + $eps;

def rename($m):
	if test("^decoder[0-9]+\\.[0-9]+$") then
		capture("^decoder(?<p>[0-9]+)\\.(?<k>[0-9]+)$") as $c
		| "\($m["port" + $c.p] // $m["endpoint" + $c.p]
		     // (if $c.p == "0" then "root0" else "port" + $c.p end))/\($c.k)"
	elif $m[.] then $m[.]
	else . end;

(if $ARGS.named.also then ([$ARGS.named.also[] | learn] | add) else {} end)
	as $seen
| (learn + $seen) as $m
| walk(if type == "object" then
		with_entries(.key |= (if test(":") then
			(split(":") | "\(.[0]):\(.[1] | rename($m))")
			else . end))
	elif type == "string" then rename($m)
	else . end)
