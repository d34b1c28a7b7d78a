#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu2 under the legacy profile looks like the captured 6.12 kernel:
# layout, attribute values, symlinks, modules, and upstream cxl list.
. "$(dirname "$0")/common.sh"
sim_enter --profile=legacy --topology=qemu2 -- "$@"
need cxl

# cxl list -BMDPTE -R -vvv: the captured topology (less the mailbox data)
json=$(cxl list -BMDPTE -R -vvv 2>/dev/null) || fail "cxl list failed"
q() { jq -r "$1" <<<"$json"; }
assert_eq "$(q '.[0].bus')" root0 bus
assert_eq "$(q '.[0].provider')" ACPI.CXL provider
assert_eq "$(q '.[0].dports[0] | "\(.dport) \(.alias) \(.id)"')" \
	"pci0000:0c ACPI0016:00 12" "root dport"
port='.[0]["ports:root0"][0]'
assert_eq "$(q "$port.port") $(q "$port.host") $(q "$port.depth")" \
	"port1 pci0000:0c 1" port1
assert_eq "$(q "[$port.dports[] | \"\(.dport)=\(.id)\"] | join(\" \")")" \
	"0000:0c:00.0=0 0000:0c:01.0=1" "port1 dports"
eps="${port}[\"endpoints:port1\"]"
assert_eq "$(q "[${eps}[] | \"\(.endpoint):\(.host):\(.memdev.serial):\(.memdev.host):\(.memdev.ram_size)\"] | join(\" \")")" \
	"endpoint2:mem0:257:0000:0e:00.0:536870912 endpoint3:mem1:256:0000:0d:00.0:536870912" \
	endpoints
assert_eq "$(q "[${eps}[] | .[\"decoders:\" + .endpoint][] | .decoder] | join(\" \")")" \
	"decoder2.0 decoder2.1 decoder2.2 decoder2.3 decoder3.0 decoder3.1 decoder3.2 decoder3.3" \
	"endpoint decoders"
assert_eq "$(q "[${port}[\"decoders:port1\"][] | \"\(.decoder):\(.targets[0].target)\"] | join(\" \")")" \
	"decoder1.0:0000:0c:00.0 decoder1.1:0000:0c:00.0 decoder1.2:0000:0c:00.0 decoder1.3:0000:0c:00.0" \
	"switch decoders"
rd='.[0]["decoders:root0"][0]'
assert_eq "$(q "[$rd.decoder, $rd.resource, $rd.size, $rd.max_available_extent, $rd.pmem_capable, $rd.volatile_capable, $rd.accelmem_capable, $rd.targets[0].target, $rd.targets[0].alias] | join(\" \")")" \
	"decoder0.0 15300820992 4294967296 4294967296 true true true pci0000:0c ACPI0016:00" \
	"root decoder"

# attribute values and modes, as captured
assert_eq "$(cat $D/decoder2.0/dpa_resource)" 0xffffffffffffffff dpa_resource
assert_eq "$(cat $D/decoder2.0/dpa_size)" 0x0000000000000000 dpa_size
assert_eq "$(cat $D/decoder2.0/mode)" none mode
assert_eq "$(cat $D/decoder1.0/target_list)" 0 "switch target_list"
assert_eq "$(cat $D/decoder0.0/target_list)" 12 "root target_list"
assert_eq "$(cat $D/decoder0.0/start) $(cat $D/decoder0.0/size)" \
	"0x390000000 0x100000000" "root window"
assert_eq "$(cat $D/decoder0.0/create_ram_region)" region0 create_ram_region
assert_eq "$(cat $D/decoder0.0/create_pmem_region)" region0 create_pmem_region
assert_eq "$(cat $D/decoder1.0/size)" 0x0 "switch size"
assert_eq "$(cat $D/mem0/serial) $(cat $D/mem0/dev) $(cat $D/mem0/numa_node)" \
	"0x101 250:0 -1" "mem0 attrs"
assert_eq "$(cat $D/mem0/ram/size)" 0x20000000 "mem0 ram size"
assert_eq "$(cat $D/mem0/uevent | tr '\n' '|')" \
	"MAJOR=250|MINOR=0|DEVNAME=cxl/mem0|DEVTYPE=cxl_memdev|DRIVER=cxl_mem|MODALIAS=cxl:t5|" \
	"mem0 uevent"
assert_eq "$(cat $D/root0/modalias) $(cat $D/port1/modalias)" "cxl:t4 cxl:t3" modalias
assert_eq "$(readlink $D/decoder0.0)" \
	../../../devices/platform/ACPI0017:00/root0/decoder0.0 "decoder link"
assert_eq "$(readlink $D/endpoint2/uport)" \
	../../../../../pci0000:0c/0000:0c:01.0/0000:0e:00.0/mem0 uport
assert_eq "$(readlink $D/endpoint3/parent_dport)" \
	../../../../../pci0000:0c/0000:0c:00.0 parent_dport
assert_eq "$(readlink $D/root0/dport12)" ../../../pci0000:0c dport12
assert_eq "$(basename "$(readlink $D/port1/driver)")" cxl_port "port driver"
[ -e $D/root0/driver ] && fail "root0 must have no driver"
assert_eq "$(read_errno $D/decoder0.0/delete_region)" EACCES "read delete_region"
assert_eq "$(read_errno $D/mem0/trigger_poison_list)" EACCES "read poison"
expect EACCES 0x1 $D/decoder0.0/start
assert_eq "$(stat -c %a $D/decoder0.0/delete_region)" 200 "WO mode"
assert_eq "$(stat -c %a $D/decoder0.0/start)" 444 "RO mode"
assert_eq "$(stat -c %a $D/decoder2.0/mode)" 644 "RW mode"

# buses, drivers, devices
assert_eq "$(names /sys/bus/cxl/drivers)" \
	"cxl_dax_region cxl_mem cxl_nvdimm cxl_nvdimm_bridge cxl_pmem_region cxl_port cxl_region " \
	"cxl drivers"
assert_eq "$(names "$DAX"/drivers/kmem)" \
	"bind module new_id remove_id uevent unbind " "kmem driver files"
assert_eq "$(cat $DAX/drivers_autoprobe)" 1 drivers_autoprobe
[ -e /sys/class/dax ] && fail "/sys/class/dax must not exist"
assert_eq "$(stat -c '%F %t:%T' /dev/cxl/mem1)" \
	"character special file fa:1" "/dev/cxl/mem1"
assert_eq "$(basename "$(readlink -f /sys/dev/char/250:1)")" mem1 devchar

# memory hotplug knobs and NUMA
assert_eq "$(cat $MEM/block_size_bytes)" 8000000 block_size_bytes
assert_eq "$(cat $MEM/auto_online_blocks)" online auto_online_blocks
assert_eq "$(count "$MEM"/memory[0-9]*)" 16 "boot blocks"
assert_eq "$(cat $MEM/memory3/state) $(cat $MEM/memory3/valid_zones) $(cat $MEM/memory3/phys_index)" \
	"online Normal 00000003" "boot block"
assert_eq "$(count /sys/devices/system/node/node[0-9]*)" 1 "nodes"
p=/sys/module/memory_hotplug/parameters
assert_eq "$(cat $p/online_policy) $(cat $p/auto_movable_ratio) $(cat $p/auto_movable_numa_aware) $(cat $p/memmap_on_memory)" \
	"contig-zones 301 Y N" "memory_hotplug parameters"
for m in cxl_core cxl_acpi cxl_port cxl_mem cxl_pci cxl_pmem dax_cxl \
	device_dax kmem dax; do
	assert_eq "$(cat /sys/module/$m/initstate)" live "module $m"
done
[ -e /sys/module/memory_hotplug/initstate ] &&
	fail "memory_hotplug is built in"

# sysfs write semantics: one store per write, newline and NUL tolerated
printf 'offline\0' >$MEM/auto_online_blocks || fail "NUL-terminated write"
assert_eq "$(cat $MEM/auto_online_blocks)" offline "NUL write"
echo online >$MEM/auto_online_blocks
: >$MEM/auto_online_blocks 2>/dev/null
assert_eq "$(cat $MEM/auto_online_blocks)" online "O_TRUNC is a no-op"
echo "PASS: $TEST_NAME"
