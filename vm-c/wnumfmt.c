/* Shortest round-trip number text (the free-format digit generation of Steele & White and
 * Burger & Dybvig, on exact big integers), spelled out without an exponent. */
#include "wnumfmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Unsigned big integers, little-endian 32-bit words. 48 words (1536 bits) hold every value
 * the generation meets: at most about 2^1080 for the smallest subnormal scaled by 10^323. */
#define BIG_WORDS 48
typedef struct {
  int n; /* words in use; no leading zero words */
  uint32_t w[BIG_WORDS];
} Big;

static void big_set(Big *a, uint64_t v) {
  a->n = 0;
  while (v) {
    a->w[a->n++] = (uint32_t)v;
    v >>= 32;
  }
}

static void big_mul_small(Big *a, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < a->n; i++) {
    uint64_t t = (uint64_t)a->w[i] * m + carry;
    a->w[i] = (uint32_t)t;
    carry = t >> 32;
  }
  if (carry) a->w[a->n++] = (uint32_t)carry;
}

static void big_shl(Big *a, int bits) {
  if (a->n == 0 || bits == 0) return;
  int words = bits / 32, rem = bits % 32;
  if (rem) {
    uint32_t carry = 0;
    for (int i = 0; i < a->n; i++) {
      uint32_t next = a->w[i] >> (32 - rem);
      a->w[i] = (a->w[i] << rem) | carry;
      carry = next;
    }
    if (carry) a->w[a->n++] = carry;
  }
  if (words) {
    memmove(a->w + words, a->w, (size_t)a->n * sizeof(uint32_t));
    memset(a->w, 0, (size_t)words * sizeof(uint32_t));
    a->n += words;
  }
}

static void big_mul_pow10(Big *a, int k) {
  while (k >= 9) {
    big_mul_small(a, 1000000000u);
    k -= 9;
  }
  static const uint32_t small[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  if (k > 0) big_mul_small(a, small[k]);
}

static int big_cmp(const Big *a, const Big *b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; i--)
    if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
  return 0;
}

/* out = a + b */
static void big_add(Big *out, const Big *a, const Big *b) {
  int n = a->n > b->n ? a->n : b->n;
  uint64_t carry = 0;
  for (int i = 0; i < n; i++) {
    uint64_t t = carry + (i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
    out->w[i] = (uint32_t)t;
    carry = t >> 32;
  }
  out->n = n;
  if (carry) out->w[out->n++] = (uint32_t)carry;
}

/* a -= b, where a >= b */
static void big_sub(Big *a, const Big *b) {
  int64_t borrow = 0;
  for (int i = 0; i < a->n; i++) {
    int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
    borrow = t < 0;
    a->w[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
  }
  while (a->n && a->w[a->n - 1] == 0) a->n--;
}

/* Shortest digits of a positive finite x: writes them to digits, returns their count, and
 * sets *point so that x = 0.DIGITS × 10^point. */
static int shortest_digits(double x, char *digits, int *point) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
  int bexp = (int)((bits >> 52) & 0x7ff);
  uint64_t f = bexp ? frac | (UINT64_C(1) << 52) : frac;
  int e = bexp ? bexp - 1075 : -1074;
  int even = (f & 1) == 0;
  /* The value is r/s; the neighbours' midpoints lie at (r - m_minus)/s and (r + m_plus)/s.
   * Everything is doubled so that the midpoints are integers. */
  Big r, s, mp, mm;
  int unequal_gaps = frac == 0 && bexp > 1; /* the gap below a power of two is half the gap above */
  if (e >= 0) {
    big_set(&r, f);
    big_shl(&r, e + 1 + unequal_gaps);
    big_set(&s, unequal_gaps ? 4 : 2);
    big_set(&mp, 1);
    big_shl(&mp, e + unequal_gaps);
    big_set(&mm, 1);
    big_shl(&mm, e);
  } else {
    big_set(&r, f);
    big_shl(&r, 1 + unequal_gaps);
    big_set(&s, 1);
    big_shl(&s, 1 - e + unequal_gaps);
    big_set(&mp, unequal_gaps ? 2 : 1);
    big_set(&mm, 1);
  }
  /* Estimate k = ceil(log10 x) from below (it can be one short); the loop below corrects it. */
  int bitlen = 0;
  for (uint64_t t = f; t; t >>= 1) bitlen++;
  int k = (int)ceil((double)(e + bitlen - 1) * 0.30102999566398114 - 1e-10);
  if (k >= 0)
    big_mul_pow10(&s, k);
  else {
    big_mul_pow10(&r, -k);
    big_mul_pow10(&mp, -k);
    big_mul_pow10(&mm, -k);
  }
  Big high;
  for (;;) {
    big_add(&high, &r, &mp);
    int c = big_cmp(&high, &s);
    if (even ? c >= 0 : c > 0) {
      big_mul_small(&s, 10);
      k++;
    } else
      break;
  }
  int n = 0;
  for (;;) {
    big_mul_small(&r, 10);
    big_mul_small(&mp, 10);
    big_mul_small(&mm, 10);
    int d = 0;
    while (big_cmp(&r, &s) >= 0) {
      big_sub(&r, &s);
      d++;
    }
    int c_low = big_cmp(&r, &mm);
    big_add(&high, &r, &mp);
    int c_high = big_cmp(&high, &s);
    int low_ok = even ? c_low <= 0 : c_low < 0;
    int high_ok = even ? c_high >= 0 : c_high > 0;
    if (!low_ok && !high_ok) {
      digits[n++] = (char)('0' + d);
      continue;
    }
    if (low_ok && high_ok) {
      /* Both d and d+1 read back as x: take the nearer, the even one on a tie. */
      Big twice = r;
      big_shl(&twice, 1);
      int c = big_cmp(&twice, &s);
      if (c > 0 || (c == 0 && (d & 1))) d++;
    } else if (high_ok)
      d++;
    /* d + 1 == 10 would mean a shorter text existed one step earlier; carry to stay safe. */
    if (d == 10) {
      int i = n - 1;
      while (i >= 0 && digits[i] == '9') i--;
      if (i < 0) {
        digits[0] = '1';
        n = 1;
        k++;
      } else {
        digits[i]++;
        n = i + 1;
      }
    } else
      digits[n++] = (char)('0' + d);
    break;
  }
  while (n > 1 && digits[n - 1] == '0') n--;
  *point = k;
  return n;
}

/* Decimal text of an integer (sprintf is slow on hot paths like print and dict keys). */
static size_t format_i64(int64_t v, char *out) {
  char tmp[24];
  size_t n = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t len = 0;
  if (v < 0) out[len++] = '-';
  while (n) out[len++] = tmp[--n];
  out[len] = '\0';
  return len;
}

size_t wnum_shortest(double x, char *out) {
  if (isnan(x)) return (size_t)sprintf(out, "NaN");
  if (isinf(x)) return (size_t)sprintf(out, x < 0 ? "-inf" : "inf");
  char *p = out;
  if (signbit(x)) {
    *p++ = '-';
    x = -x;
  }
  if (x == 0) {
    *p++ = '0';
    *p = '\0';
    return (size_t)(p - out);
  }
  if (x < 9007199254740992.0 && x == floor(x)) /* below 2^53 every integer is its own shortest text */
    return (size_t)(p - out) + format_i64((int64_t)x, p);
  char digits[32];
  int point;
  int n = shortest_digits(x, digits, &point);
  if (point <= 0) {
    *p++ = '0';
    *p++ = '.';
    for (int i = 0; i < -point; i++) *p++ = '0';
    memcpy(p, digits, (size_t)n);
    p += n;
  } else if (point >= n) {
    memcpy(p, digits, (size_t)n);
    p += n;
    for (int i = n; i < point; i++) *p++ = '0';
  } else {
    memcpy(p, digits, (size_t)point);
    p += point;
    *p++ = '.';
    memcpy(p, digits + point, (size_t)(n - point));
    p += n - point;
  }
  *p = '\0';
  return (size_t)(p - out);
}

int wnum_is_integral(double x) { return isfinite(x) && x == trunc(x); }

size_t wnum_format(double x, char *out) {
  if (wnum_is_integral(x) && fabs(x) < 1e15) return format_i64((int64_t)x, out);
  return wnum_shortest(x, out);
}

size_t wnum_to_str(double x, char *out) {
  if (wnum_is_integral(x)) return format_i64(wnum_i64(x), out);
  return wnum_shortest(x, out);
}

int64_t wnum_i64(double x) {
  if (isnan(x)) return 0;
  if (x >= 9223372036854775808.0) return INT64_MAX;
  if (x <= -9223372036854775808.0) return INT64_MIN;
  return (int64_t)x;
}

uint64_t wnum_usize(double x) {
  if (isnan(x) || x <= 0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}
