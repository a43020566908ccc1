FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -q -DskipTests package

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build /src/target/billing.jar /app/billing.jar
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-Xmx512m", "-XX:+UseG1GC", "-jar", "/app/billing.jar"]
CMD ["--spring.profiles.active=prod"]
