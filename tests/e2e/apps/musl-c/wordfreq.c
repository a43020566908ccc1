/* Counts words on its input file and prints the three most frequent, with the C library
 * it was linked against: built with musl-gcc, it runs only where musl's loader is. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word { char text[32]; int count; };

static int by_count(const void *a, const void *b) {
    const struct word *x = a, *y = b;
    if (x->count != y->count) return y->count - x->count;
    return strcmp(x->text, y->text);
}

int main(int argc, char **argv) {
    static struct word words[512];
    int n = 0, c, len = 0;
    char buf[32];
    FILE *f = fopen(argc > 1 ? argv[1] : "/dev/stdin", "r");
    if (!f) { perror("open"); return 1; }
    while ((c = fgetc(f)) != EOF || len) {
        if (c != EOF && isalpha(c) && len < 31) { buf[len++] = (char)tolower(c); continue; }
        if (len) {
            buf[len] = 0; len = 0;
            int i;
            for (i = 0; i < n && strcmp(words[i].text, buf); i++) {}
            if (i == n && n < 512) { strcpy(words[n].text, buf); words[n++].count = 0; }
            if (i < 512) words[i].count++;
        }
        if (c == EOF) break;
    }
    qsort(words, n, sizeof *words, by_count);
    for (int i = 0; i < 3 && i < n; i++) printf("%s %d\n", words[i].text, words[i].count);
#ifdef __GLIBC__
    puts("libc: glibc");
#else
    puts("libc: musl");
#endif
    return 0;
}
