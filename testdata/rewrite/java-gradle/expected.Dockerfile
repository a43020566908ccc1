FROM gradle:8.10-jdk21 AS build

WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon

EXPOSE 8080
CMD ["java", "-jar", "build/libs/catalog-0.1.0.jar"]

FROM gcr.io/distroless/java21-debian13:nonroot
WORKDIR /home/gradle/project
COPY --from=build --chown=65532:65532 /home/gradle/project/build/libs /home/gradle/project/build/libs
EXPOSE 8080
CMD ["build/libs/catalog-0.1.0.jar"]
