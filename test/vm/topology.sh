#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the QEMU arguments (one per line) of a CXL topology:
#   qemu1  one 512 MiB volatile type-3 device on one root port
#   qemu2  two such devices on two root ports of one host bridge
#          (a 2-way interleave set), the shape of real-kernel-sysfs.md
# All share one host bridge (pxb-cxl) and one 4 GiB CFMW window.
set -euo pipefail

ndev() {
	case "$1" in
	qemu1) echo 1 ;;
	qemu2) echo 2 ;;
	*) echo "vm/topology: unknown topology '$1' (qemu1|qemu2)" >&2
	   return 1 ;;
	esac
}

n=$(ndev "${1:?topology}")
echo -device; echo pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
for ((i = 0; i < n; i++)); do
	echo -device
	echo "cxl-rp,port=$i,bus=cxl.1,id=rp$i,chassis=0,slot=$((i + 2))"
	echo -object
	echo "memory-backend-ram,id=vmem$i,share=on,size=512M"
	echo -device
	printf 'cxl-type3,bus=rp%d,volatile-memdev=vmem%d,id=cxl-vmem%d,sn=0x%x\n' \
		"$i" "$i" "$i" $((0x100 + i))
done
echo -M; echo cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
