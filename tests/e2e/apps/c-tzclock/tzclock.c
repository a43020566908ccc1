/* tzclock: prints a fixed instant in each time zone named on the command line (reading
 * /usr/share/zoneinfo through glibc) and the name of uid 0 (through glibc's NSS). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    const time_t instant = 1700000000;
    char buf[64];
    if (argc < 2) {
        fprintf(stderr, "usage: tzclock ZONE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct tm tm;
        setenv("TZ", argv[i], 1);
        tzset();
        localtime_r(&instant, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z (%z)", &tm);
        printf("%-20s %s\n", argv[i], buf);
    }
    struct passwd *pw = getpwuid(0);
    printf("uid 0 is %s\n", pw ? pw->pw_name : "unknown");
    unsigned long h = 5381;
    for (const char *p = "shellless"; *p; p++) h = h * 33 + (unsigned char)*p;
    printf("djb2(shellless) = %lu\n", h);
    return 0;
}
