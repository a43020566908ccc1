# The launcher reads options after -jar too (griffio/ktor-server-01): the jar is the first other word.
FROM gradle:9.4.1-jdk25 AS build
COPY --chown=gradle:gradle build.gradle.kts settings.gradle.kts /home/gradle/project/
COPY --chown=gradle:gradle src /home/gradle/project/src
WORKDIR /home/gradle/project
RUN gradle --no-daemon buildFatJar

FROM amazoncorretto:25-alpine AS runtime
COPY --from=build /home/gradle/project/build/libs/*.jar /app/application.jar
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["java","-jar","--enable-native-access=ALL-UNNAMED","/app/application.jar"]

FROM gcr.io/distroless/java25-debian13:nonroot
WORKDIR /app
COPY --from=runtime --chown=65532:65532 /app /app
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "--enable-native-access=ALL-UNNAMED", "/app/application.jar"]
