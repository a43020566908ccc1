#include <stdio.h>
#include <stdlib.h>

int main(void) {
    /* system() and popen() run "/bin/sh -c <command>" (POSIX) */
    FILE *f = popen("date -u +%Y-%m-%dT%H:%M:%SZ", "r");
    char buf[64] = {0};
    if (!f || !fgets(buf, sizeof buf, f)) { fprintf(stderr, "popen failed\n"); return 1; }
    pclose(f);
    printf("started at %s", buf);
    return system("mkdir -p /tmp/spool") == 0 ? 0 : 1;
}
