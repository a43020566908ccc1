FROM golang:1.22-bookworm AS build
RUN useradd -u 10001 app
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian12:latest
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
USER 65532:65532
