#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the QEMU arguments (one per line) of a CXL topology:
#   qemu1  one 512 MiB volatile type-3 device on one root port
#   qemu2  two such devices on two root ports of one host bridge
#          (a 2-way interleave set), the shape of real-kernel-sysfs.md
# All share one host bridge (pxb-cxl) and one 4 GiB CFMW window.
#   bench  two large devices (CXL_VM_BENCH_SIZE each, default 16G, in
#          GiB) on sparse file-backed memory (files QEMU creates and
#          unlinks in CXL_VM_BENCH_DIR, default /var/tmp), one window
#          over both: the real-kernel benchmark (bench/vm.sh). Host RAM is
#          used only for what the guest touches.
#   cxl_test, cxl_test-unbacked: see below
set -euo pipefail

ndev() {
	case "$1" in
	qemu1) echo 1 ;;
	qemu2 | bench) echo 2 ;;
	*) echo "vm/topology: unknown topology '$1'" \
		"(qemu1|qemu2|bench|cxl_test|cxl_test-unbacked)" >&2
	   return 1 ;;
	esac
}

# The kernel's cxl_test mock (tools/testing/cxl): no emulated CXL device;
# the mock carves its windows from the top 64 GiB of the physical address
# space, where nothing exists by default, and onlining that "memory" kills
# the guest. phys-bits=37 puts the windows at 64-72 GiB and a coldplugged
# pc-dimm puts RAM there (the guest kernel has no ACPI memory hotplug, so it
# does not take the DIMM for itself). Two NUMA nodes: the mock puts half
# its devices on node 1. These -cpu and -m come after the runner's and
# override them (QEMU takes the last -cpu and merges -m options).
#   cxl_test            the windows backed by RAM
#   cxl_test-unbacked   QEMU's default address width, nothing behind them
cxl_test() {
	local bits=
	[ "$1" = backed ] && bits=,phys-bits=37
	printf '%s\n' -cpu "${CXL_VM_CPU:-Nehalem}$bits,hypervisor=off" \
		-m 2G,slots=1,maxmem=80G \
		-object memory-backend-ram,id=node0,size=1G \
		-numa node,nodeid=0,memdev=node0 \
		-object memory-backend-ram,id=node1,size=1G \
		-numa node,nodeid=1,memdev=node1
	[ "$1" = backed ] || return 0
	printf '%s\n' -object memory-backend-ram,id=cxlback,size=8G \
		-device pc-dimm,id=cxlback0,memdev=cxlback,addr=0x1000000000,node=0
}
case ${1:?topology} in
cxl_test) cxl_test backed; exit 0 ;;
cxl_test-unbacked) cxl_test unbacked; exit 0 ;;
esac

n=$(ndev "$1")
size=512M
window=4G
backend=memory-backend-ram
if [ "$1" = bench ]; then
	size=${CXL_VM_BENCH_SIZE:-16G}
	[[ $size =~ ^[1-9][0-9]*G$ ]] || {
		echo "vm/topology: CXL_VM_BENCH_SIZE must be GiB, e.g. 16G," \
			"not '$size'" >&2
		exit 1
	}
	window=$((${size%G} * n))G
	dir=${CXL_VM_BENCH_DIR:-/var/tmp}
	[ -d "$dir" ] && [ -w "$dir" ] || {
		echo "vm/topology: CXL_VM_BENCH_DIR $dir is not a writable folder" >&2
		exit 1
	}
	# a folder as mem-path: QEMU creates a file there and unlinks it
	backend=memory-backend-file,mem-path=$dir
fi
echo -device; echo pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
for ((i = 0; i < n; i++)); do
	echo -device
	echo "cxl-rp,port=$i,bus=cxl.1,id=rp$i,chassis=0,slot=$((i + 2))"
	echo -object
	echo "$backend,id=vmem$i,share=on,size=$size"
	echo -device
	printf 'cxl-type3,bus=rp%d,volatile-memdev=vmem%d,id=cxl-vmem%d,sn=0x%x\n' \
		"$i" "$i" "$i" $((0x100 + i))
done
echo -M; echo "cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=$window"
