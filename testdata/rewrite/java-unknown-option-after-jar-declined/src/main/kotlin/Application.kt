package demo
import io.ktor.server.engine.*
import io.ktor.server.netty.*
import io.ktor.server.response.*
import io.ktor.server.routing.*
fun main() { embeddedServer(Netty, port = 8080) { routing { get("/") { call.respondText("ok") } } }.start(wait = true) }
