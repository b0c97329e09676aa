/* A tiny JSON reader/writer for the control channel: flat objects whose values are numbers,
 * strings, booleans or null (one level of nesting, "arguments"/"body", is read by asking for the
 * nested object's text first). Enough for the DAP-shaped messages of docs/vm-protocol.md. */
#ifndef WJSON_H
#define WJSON_H

#include <stddef.h>

#include "wbuf.h"

/* Appends s (n bytes of UTF-8) as a JSON string literal, quotes included. */
void wjson_put_string(WBuf *b, const char *s, size_t n);

/* Finds member `key` of the object in text[0..len) (top level only). On success sets *val to
 * the start of its value text and *vlen to the value's length, and returns 1; returns 0 if the
 * key is absent or the text is not an object. */
int wjson_find(const char *text, size_t len, const char *key, const char **val, size_t *vlen);
/* The member as a number (0 and returns 0 when absent or not a number). */
int wjson_get_number(const char *text, size_t len, const char *key, double *out);
/* The member as a decoded string, appended to out (returns 0 when absent or not a string). */
int wjson_get_string(const char *text, size_t len, const char *key, WBuf *out);
/* The member as a boolean (returns 0 when absent or not a boolean). */
int wjson_get_bool(const char *text, size_t len, const char *key, int *out);

#endif
