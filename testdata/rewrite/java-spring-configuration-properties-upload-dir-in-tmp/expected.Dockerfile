FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /
COPY --from=build /src/target/app.jar /app.jar
ENTRYPOINT ["/usr/bin/java", "-jar", "/app.jar"]
