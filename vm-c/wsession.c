/* The session mode's request loop: the commands every control-channel mode answers (ping,
 * terminate) and the session's own. */
#include "wsession.h"
#include "wjson.h"
#include "wmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wctl_parse_request(const char *line, size_t len, long *seq, WBuf *command) {
  double s;
  command->len = 0;
  if (!wjson_get_number(line, len, "seq", &s)) return 0;
  *seq = (long)s;
  return wjson_get_string(line, len, "command", command);
}

int wsession_serve(WCtl *c) {
  WBuf line = {0}, command = {0};
  int status = 0;
  for (;;) {
    int r = wctl_recv(c, &line, -1);
    if (r < 0) break;
    if (r == 0) continue;
    long seq = 0;
    if (!wctl_parse_request(line.data, line.len, &seq, &command)) {
      wctl_respond(c, seq, 0, NULL, "not a request: expected {\"seq\":N,\"command\":\"...\"}");
      continue;
    }
    if (strcmp(command.data, "ping") == 0) {
      wctl_respond(c, seq, 1, "{\"protocol\":1,\"mode\":\"session\"}", NULL);
    } else if (strcmp(command.data, "terminate") == 0) {
      fflush(stdout);
      fflush(stderr);
      wctl_respond(c, seq, 1, NULL, NULL);
      break;
    } else {
      WBuf msg = {0};
      wbuf_printf(&msg, "unknown command '%s'", command.data);
      wctl_respond(c, seq, 0, NULL, msg.data);
      wbuf_free(&msg);
    }
  }
  wbuf_free(&line);
  wbuf_free(&command);
  return status;
}
