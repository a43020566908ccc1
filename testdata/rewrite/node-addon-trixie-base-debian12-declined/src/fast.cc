#include <node.h>
