FROM eclipse-temurin:21-jdk AS build
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests
FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build /app/target/app.jar app.jar
EXPOSE 8082
ENTRYPOINT ["/usr/bin/java", "-jar", "app.jar"]
