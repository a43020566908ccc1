FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server ./cmd/server

ENV PORT=8080
EXPOSE 8080
CMD /app/server --port $PORT

FROM gcr.io/distroless/static-debian13:nonroot
ENV PORT=8080
WORKDIR /src
COPY --chown=65532:65532 . /src/
COPY --from=build /app/server /app/server
EXPOSE 8080
CMD ["/app/server", "--port", "8080"]
