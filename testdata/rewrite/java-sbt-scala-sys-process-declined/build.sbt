scalaVersion := "3.5.1"
assembly / assemblyJarName := "app.jar"
