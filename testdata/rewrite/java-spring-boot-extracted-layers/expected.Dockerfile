FROM eclipse-temurin:21-jdk AS builder
WORKDIR /builder
COPY target/*.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM eclipse-temurin:21-jre AS build
WORKDIR /application
COPY --from=builder /builder/extracted/dependencies/ ./
COPY --from=builder /builder/extracted/spring-boot-loader/ ./
COPY --from=builder /builder/extracted/snapshot-dependencies/ ./
COPY --from=builder /builder/extracted/application/ ./
ENTRYPOINT ["java", "-jar", "application.jar"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /application
COPY --from=build --chown=65532:65532 /application /application
ENTRYPOINT ["/usr/bin/java", "-jar", "application.jar"]
