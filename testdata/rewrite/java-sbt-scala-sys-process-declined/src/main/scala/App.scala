import scala.sys.process._

@main def run(): Unit =
  val rev = "git rev-parse HEAD".!!
  println(rev)
  Thread.currentThread().join()
