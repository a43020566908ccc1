FROM eclipse-temurin:21-jdk AS build

WORKDIR /src
COPY src/ src/
# javac only: the classes stay a folder, and the command names the main class
RUN mkdir -p /app/classes \
    && javac -d /app/classes $(find src -name '*.java')

# The program runs from its own folder, not from the sources' (which stay behind).
WORKDIR /app
CMD ["java", "-cp", "/app/classes", "com.example.App"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app/classes /app/classes
ENTRYPOINT ["/usr/bin/java", "-cp", "/app/classes", "com.example.App"]
