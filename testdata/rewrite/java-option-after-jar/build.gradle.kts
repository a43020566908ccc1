plugins {
    kotlin("jvm") version "2.2.0"
    id("io.ktor.plugin") version "3.2.0"
}
application { mainClass.set("demo.ApplicationKt") }
repositories { mavenCentral() }
dependencies { implementation("io.ktor:ktor-server-netty:3.2.0") }
java { toolchain { languageVersion.set(JavaLanguageVersion.of(25)) } }
