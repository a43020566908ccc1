FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B package -DskipTests

FROM gcr.io/distroless/java17-debian13:nonroot
COPY --from=build /src/target/app.jar /app.jar
CMD ["/app.jar"]
