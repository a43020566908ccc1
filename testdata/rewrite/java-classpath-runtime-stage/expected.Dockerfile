FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B package -DskipTests dependency:copy-dependencies

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /app
COPY --from=build /src/target/classes /app/classes
COPY --from=build /src/target/dependency /app/lib
USER 1000
ENTRYPOINT ["/usr/bin/java", "-Xmx512m", "-cp", "classes:lib/*", "com.example.Main"]
