FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY . .
RUN mvn package
FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /
COPY --from=build /app/target/app.jar /app.jar
ENTRYPOINT ["/usr/bin/java", "-jar", "/app.jar"]
