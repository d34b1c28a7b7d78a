/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UTIL_JSON_H
#define UTIL_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * JSON helpers that follow cxl-cli's number style: raw integers by default;
 * with -u (human) sizes become "N.NN GiB (M.MM GB)" strings and addresses
 * "0x..." strings.
 */
struct json_object *json_size(uint64_t v, bool human);
struct json_object *json_hex(uint64_t v, bool human);
struct json_object *json_u64(uint64_t v);
/* writes the human size string of @v into @buf; false if @v stays a number */
bool json_human_size(uint64_t v, char *buf, size_t len);
/* pretty-print like cxl-cli (two-space indent, no spaces after ':') */
int json_print(FILE *f, struct json_object *obj);

#endif /* UTIL_JSON_H */
