FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q dependency:go-offline
COPY src ./src
RUN mvn -q package -DskipTests

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build /src/target/app.jar app.jar
ENV LOGGING_LEVEL_ROOT=INFO LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_WEB=DEBUG
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "app.jar"]
