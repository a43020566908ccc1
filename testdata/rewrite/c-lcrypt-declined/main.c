/* tiny password-hash service helper: uses crypt(3) from libxcrypt */
#include <crypt.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    const char *h = crypt("secret", "$6$saltsalt$");
    if (!h) { perror("crypt"); return 1; }
    printf("%s\n", h);
    for (;;) pause();
}
