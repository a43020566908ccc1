FROM eclipse-temurin:21-jdk AS build

WORKDIR /src
COPY src/ src/
# javac only: the classes stay a folder, and the command names the main class
RUN mkdir -p /app/classes \
    && javac -d /app/classes $(find src -name '*.java')

CMD ["java", "-cp", "/app/classes", "com.example.App"]

# A classpath application on java21-debian13: its preset ENTRYPOINT is java -jar, which
# would take the main class for a jar, so the whole command is the ENTRYPOINT.
FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /src
# the classpath's one entry
COPY --from=build /app/classes /app/classes
ENTRYPOINT ["/usr/bin/java", "-cp", "/app/classes", "com.example.App"]
