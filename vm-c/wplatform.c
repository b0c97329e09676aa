/* wplatform: POSIX, Windows and WASI differences (see wplatform.h). */
#include "wplatform.h"

#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>
#else
#include <time.h>
#include <unistd.h>
#endif

void wplat_init_stdio(char *outbuf, size_t size) {
#if defined(_WIN32)
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
  int tty = _isatty(_fileno(stdout));
#else
  int tty = isatty(STDOUT_FILENO);
#endif
  setvbuf(stdout, outbuf, tty ? _IOLBF : _IOFBF, size);
}

#if defined(_WIN32)
static char *utf16_to_utf8(const wchar_t *w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char *s = malloc(n > 0 ? (size_t)n : 1);
  if (!s) abort();
  if (n <= 0) s[0] = 0;
  else WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
  return s;
}

static wchar_t *utf8_to_utf16(const char *s) {
  int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
  wchar_t *w = malloc(sizeof(wchar_t) * (n > 0 ? (size_t)n : 1));
  if (!w) abort();
  if (n <= 0) w[0] = 0;
  else MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
  return w;
}
#endif

void wplat_utf8_args(int *argc, char ***argv) {
#if defined(__wasi__)
  /* WASI has no current directory of its own: the host passes the program's folder in PWD, and
   * the C library resolves relative paths against it once chdir() has set it. */
  const char *pwd = getenv("PWD");
  if (pwd && *pwd) chdir(pwd);
  (void)argc, (void)argv;
#elif defined(_WIN32)
  int n = 0;
  wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
  if (!wargv) return;
  char **args = malloc(sizeof(char *) * ((size_t)n + 1));
  if (!args) abort();
  for (int i = 0; i < n; i++) args[i] = utf16_to_utf8(wargv[i]);
  args[n] = NULL;
  LocalFree(wargv);
  *argc = n;
  *argv = args;
#else
  (void)argc, (void)argv;
#endif
}

FILE *wplat_fopen(const char *path, const char *mode) {
#if defined(_WIN32)
  wchar_t *wpath = utf8_to_utf16(path), *wmode = utf8_to_utf16(mode);
  FILE *f = _wfopen(wpath, wmode);
  free(wpath);
  free(wmode);
  return f;
#else
  return fopen(path, mode);
#endif
}

int wplat_read_line(FILE *f, WBuf *line) {
  line->len = 0;
  int c, any = 0;
  while ((c = getc(f)) != EOF) {
    any = 1;
    if (c == '\n') return 1;
    wbuf_putc(line, (char)c);
  }
  return any;
}

long long wplat_monotonic_ms(void) {
#if defined(_WIN32)
  return (long long)GetTickCount64();
#else
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
#endif
}
