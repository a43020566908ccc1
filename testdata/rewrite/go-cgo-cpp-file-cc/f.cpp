#include <string>
extern "C" int f(void) { std::string s("hello"); return (int)s.size(); }
