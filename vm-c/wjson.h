/* A tiny JSON reader and writer for the control channel's messages (docs/vm-protocol.md): find
 * a member by name, read numbers, strings, booleans and arrays of numbers; write strings escaped. */
#ifndef WJSON_H
#define WJSON_H

#include <stddef.h>

#include "wbuf.h"

/* The value of member `key` of the object that the JSON text starts with (its top level only:
 * nested objects, arrays and strings are skipped whole), or NULL. */
const char *wjson_find(const char *json, const char *key);
/* Reads a number at p; returns 0 when p is not one. */
int wjson_number(const char *p, double *out);
/* Reads a string at p, unescaped, into out (replacing it); returns 0 when p is not one. */
int wjson_string(const char *p, WBuf *out);
/* Reads true/false at p; returns -1 when p is neither. */
int wjson_bool(const char *p);
/* Reads an array of numbers at p into out[0..cap); returns how many, or -1 when p is not one. */
int wjson_numbers(const char *p, double *out, int cap);
/* Appends s (len bytes, UTF-8) as a JSON string. */
void wjson_put_string(WBuf *b, const char *s, size_t len);

#endif
