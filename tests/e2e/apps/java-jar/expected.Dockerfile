FROM eclipse-temurin:21-jdk AS build

WORKDIR /src
COPY src/ src/
# no Maven here: javac and jar, straight
RUN mkdir -p classes /app \
    && javac -d classes $(find src -name '*.java') \
    && jar --create --file /app/app.jar --main-class com.example.App -C classes .

CMD ["java", "-jar", "/app/app.jar"]

# JDK 21 build: java21-debian13, whose ENTRYPOINT is already ["/usr/bin/java", "-jar"]. The
# build image's /__cacert_entrypoint.sh (a bash script) is not carried over.
FROM gcr.io/distroless/java21-debian13:nonroot
# the one artifact: the jar that `jar --create --file /app/app.jar` wrote (its manifest names
# the main class; the classes/ directory is inside it)
COPY --from=build /app/app.jar /app/app.jar
# not ["java", "-jar", ...]: the ENTRYPOINT is java -jar
CMD ["/app/app.jar"]
