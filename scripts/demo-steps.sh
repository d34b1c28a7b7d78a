#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo's steps, run inside the simulator's mount namespace.
set -euo pipefail
CXL=$1

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step cat /sys/devices/system/memory/auto_online_blocks
step "$CXL" list -M
step "$CXL" create-region -t ram --mode=sysram --online=movable -m mem0 mem1
region=$("$CXL" list -R | jq -r '.[0].region')
step "$CXL" list -R -X -r "$region"
step "$CXL" reconfigure-region "$region" --online=kernel
step "$CXL" reconfigure-region "$region" --mode=devdax
step "$CXL" destroy-region -f "$region"
step "$CXL" list -R
