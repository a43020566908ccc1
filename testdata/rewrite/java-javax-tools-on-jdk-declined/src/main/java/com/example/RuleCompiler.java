package com.example;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

// Business rules are Java snippets compiled when they change: this needs a JDK.
class RuleCompiler {
    int compile(String path) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        return javac.run(null, null, null, path);
    }
}
