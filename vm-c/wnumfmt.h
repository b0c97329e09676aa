/* Number text: shortest round-trip digits without exponent, format() of numbers, and the
 * reference's saturating conversions i64(x) and usize(x) (spec README conventions). */
#ifndef WNUMFMT_H
#define WNUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text wnum_shortest can write: 5e-324 spelled out, or 1.8e308 with all its digits. */
#define WNUM_MAX_TEXT 340

/* shortest(x) into out (NUL-terminated); returns its length. NaN, inf, -inf; -0 is "-0". */
size_t wnum_shortest(double x, char *out);
/* format() of a number: integral and |x| < 1e15 → the integer (so -0 is "0"), else shortest. */
size_t wnum_format(double x, char *out);
/* num_to_str(): integral → decimal of i64(x), else shortest. */
size_t wnum_to_str(double x, char *out);
/* The dict key of a number: integral (finite) → decimal of i64(x), else shortest. */
#define wnum_dict_key wnum_to_str

int64_t wnum_i64(double x);
uint64_t wnum_usize(double x);
int wnum_is_integral(double x);

#endif
