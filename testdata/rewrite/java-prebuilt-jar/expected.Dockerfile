FROM eclipse-temurin:21-jre AS build
WORKDIR /app
COPY target/app.jar app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "app.jar"]
