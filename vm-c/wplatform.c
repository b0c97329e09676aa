/* The platform layer (see wplatform.h): the only file that names an operating system. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "wplatform.h"
#include "wmem.h"

#include <time.h>

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

void wplat_stdio_init(void) {
#if defined(_WIN32)
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
  SetConsoleOutputCP(CP_UTF8);
  SetConsoleCP(CP_UTF8);
#endif
}

int wplat_isatty(FILE *f) {
#if defined(_WIN32)
  return _isatty(_fileno(f));
#else
  return isatty(fileno(f));
#endif
}

long wplat_readline(char **line, size_t *cap, FILE *f) {
  size_t n = 0;
  int c;
  while ((c = getc(f)) != EOF) {
    if (n + 2 > *cap) {
      size_t grown = *cap ? *cap * 2 : 128;
      *line = wmem_realloc(*line, grown);
      *cap = grown;
    }
    (*line)[n++] = (char)c;
    if (c == '\n') break;
  }
  if (n == 0 && c == EOF) return -1;
  if (*line) (*line)[n] = '\0';
  return (long)n;
}

long long wplat_now_ms(void) {
#if defined(_WIN32)
  return (long long)GetTickCount64();
#elif defined(CLOCK_MONOTONIC)
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
#else
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
#endif
}
