FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B package -DskipTests

FROM gcr.io/distroless/java21-debian13:nonroot
COPY --from=build /src/target/app.jar /app.jar
CMD ["/app.jar"]
