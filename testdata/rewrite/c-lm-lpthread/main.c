/* square roots on a thread: libm and libpthread are glibc's own */
#include <math.h>
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg) { printf("%f\n", sqrt(*(double *)arg)); return NULL; }

int main(void) {
    double x = 2.0;
    pthread_t t;
    pthread_create(&t, NULL, work, &x);
    pthread_join(t, NULL);
    return 0;
}
