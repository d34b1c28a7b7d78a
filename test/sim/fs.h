/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CXL_SIM_FS_H
#define CXL_SIM_FS_H

struct fuse_operations;

const struct fuse_operations *sim_fuse_ops(void);

#endif
