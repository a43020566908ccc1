/* Loads libyaml with dlopen at run time: no DT_NEEDED names it, so the ELF closure (and
 * `rewrite --build`) cannot see it; a trace does. */
#include <dlfcn.h>
#include <stdio.h>

int main(void) {
    void *lib = dlopen("libyaml-0.so.2", RTLD_NOW);
    if (!lib) {
        printf("no yaml: %s\n", dlerror());
        return 1;
    }
    const char *(*version)(void) = (const char *(*)(void))dlsym(lib, "yaml_get_version_string");
    printf("yaml %c.x loaded at run time\n", version()[0]);
    return 0;
}
