FROM maven:3.9-eclipse-temurin-21 AS build

WORKDIR /workspace
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests package

WORKDIR /workspace/target
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /workspace/target
COPY --from=build --chown=65532:65532 /workspace/target /workspace/target
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-jar", "app.jar"]
