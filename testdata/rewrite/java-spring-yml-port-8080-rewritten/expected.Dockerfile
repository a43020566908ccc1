FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests && cp target/*.jar /build/app.jar

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /opt/app
COPY --from=build /build/app.jar app.jar
ENTRYPOINT ["/usr/bin/java", "-jar", "app.jar"]
