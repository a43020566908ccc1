FROM golang:1.24-trixie AS build

WORKDIR /src
COPY go.mod main.go ./
# a pure-Go build: no libc needed at run time
RUN CGO_ENABLED=0 go build -o /out/app .

# CGO_ENABLED=0: a static binary, so `static` (CA bundle, tzdata, passwd, no libc) is enough.
FROM gcr.io/distroless/static-debian13:nonroot
# the one artifact: the output of `go build -o /out/app` (it reads the CA bundle and
# /usr/share/zoneinfo, which static-debian13 provides)
COPY --from=build /out/app /out/app
ENTRYPOINT ["/out/app"]
