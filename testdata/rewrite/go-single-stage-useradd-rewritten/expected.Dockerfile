FROM golang:1.22 AS build
ENV GIN_MODE=release APP_ENV=production
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
RUN useradd -u 1234 appuser
USER appuser
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["./server"]

FROM gcr.io/distroless/static-debian13:nonroot
ENV GIN_MODE=release APP_ENV=production
WORKDIR /app
COPY . /app/
COPY --from=build /app/server /app/server
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["./server"]
