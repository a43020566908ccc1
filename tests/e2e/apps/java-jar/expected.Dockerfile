FROM eclipse-temurin:21-jdk AS build

WORKDIR /src
COPY src/ src/
# no Maven here: javac and jar, straight
RUN mkdir -p classes /app \
    && javac -d classes $(find src -name '*.java') \
    && jar --create --file /app/app.jar --main-class com.example.App -C classes .

# The program runs from its own folder, not from the sources' (which stay behind).
WORKDIR /app
CMD ["java", "-jar", "/app/app.jar"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["/app/app.jar"]
