/* The platform layer (see wplatform.h): the only file that names an operating system. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "wplatform.h"
#include "wmem.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#else
#include <fcntl.h>
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

void wplat_process_init(void) {
#if defined(__wasi__)
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/') chdir(pwd);
#endif
}

int wplat_os_errno(int err) {
#if defined(__wasi__)
  /* WASI's errno values, mapped to the Linux numbers the reference prints. */
  static const struct { int wasi, linux_no; } table[] = {
      {EPERM, 1},   {ENOENT, 2},   {EIO, 5},      {EBADF, 9},    {EAGAIN, 11},  {ENOMEM, 12},
      {EACCES, 13}, {EBUSY, 16},   {EEXIST, 17},  {EXDEV, 18},   {ENOTDIR, 20}, {EISDIR, 21},
      {EINVAL, 22}, {EMFILE, 24},  {ETXTBSY, 26}, {EFBIG, 27},   {ENOSPC, 28},  {EROFS, 30},
      {ENAMETOOLONG, 36}, {ENOTEMPTY, 39}, {ELOOP, 40},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].wasi == err) return table[i].linux_no;
#endif
  return err;
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

FILE *wplat_fopen(const char *path, const char *mode) {
#if defined(_WIN32)
  wchar_t wpath[4096], wmode[16];
  if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, 4096) || !MultiByteToWideChar(CP_UTF8, 0, mode, -1, wmode, 16)) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  return _wfopen(wpath, wmode);
#else
  return fopen(path, mode);
#endif
}

#if defined(__wasi__) && defined(WCTL_HOST_IMPORTS)
/* The Node host drops what the module writes to fds 1 and 2 while muted (vm-wasm/wvm-wasm.ts). */
__attribute__((import_module("whispem_host"), import_name("mute_output"))) int whispem_host_mute_output(int on);
#endif

int wplat_mute_output(int on) {
#if defined(__wasi__) && defined(WCTL_HOST_IMPORTS)
  fflush(stdout);
  fflush(stderr);
  return whispem_host_mute_output(on) == 0;
#elif defined(__wasi__)
  (void)on;
  return 0; /* no dup2 under WASI preview 1, and no host to ask */
#else
  static int saved_out = -1, saved_err = -1;
  fflush(stdout);
  fflush(stderr);
#if defined(_WIN32)
#define W_DUP _dup
#define W_DUP2 _dup2
#define W_CLOSE _close
#else
#define W_DUP dup
#define W_DUP2 dup2
#define W_CLOSE close
#endif
  if (on) {
    if (saved_out >= 0) return 1;
#if defined(_WIN32)
    int null = _open("NUL", _O_WRONLY);
#else
    int null = open("/dev/null", O_WRONLY);
#endif
    if (null < 0) return 0;
    saved_out = W_DUP(1);
    saved_err = W_DUP(2);
    W_DUP2(null, 1);
    W_DUP2(null, 2);
    W_CLOSE(null);
  } else {
    if (saved_out < 0) return 1;
    W_DUP2(saved_out, 1);
    W_DUP2(saved_err, 2);
    W_CLOSE(saved_out);
    W_CLOSE(saved_err);
    saved_out = saved_err = -1;
  }
  return 1;
#endif
}
