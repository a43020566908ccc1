FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests

FROM gcr.io/distroless/java17-debian13:nonroot
WORKDIR /opt/billing
COPY --from=build /build/target/billing-1.0.jar billing.jar
CMD ["billing.jar"]
