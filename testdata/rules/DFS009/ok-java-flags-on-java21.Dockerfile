FROM gcr.io/distroless/java21-debian13:nonroot
COPY target/app.jar /app.jar
CMD ["/app.jar", "--server.port=8080"]
