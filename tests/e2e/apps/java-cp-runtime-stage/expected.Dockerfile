FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY src/ src/
RUN mkdir -p /out/classes && javac -d /out/classes $(find src -name '*.java')

# A runtime stage that only receives what the build made, and runs java with an explicit
# classpath: the classes, then a folder of resources.
FROM eclipse-temurin:21-jre AS build-2
WORKDIR /app
COPY --from=build /out/classes /app/classes
COPY config/ /app/config/
ENV INVENTORY_CURRENCY=EUR
CMD ["java", "-cp", "/app/classes:/app/config", "com.example.Inventory"]

FROM gcr.io/distroless/java21-debian13:nonroot
ENV INVENTORY_CURRENCY=EUR
WORKDIR /app
COPY --from=build-2 /app/classes /app/classes
COPY --from=build-2 /app/config /app/config
ENTRYPOINT ["/usr/bin/java", "-cp", "/app/classes:/app/config", "com.example.Inventory"]
