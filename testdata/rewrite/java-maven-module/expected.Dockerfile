FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY . .
RUN mvn -q -pl api -am package -DskipTests

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /
COPY --from=build /app/api/target/app.jar /app/app.jar
ENTRYPOINT ["/usr/bin/java", "-jar", "/app/app.jar"]
