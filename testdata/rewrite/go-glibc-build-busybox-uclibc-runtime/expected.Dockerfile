FROM golang:1.24-trixie AS build
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /out/wc .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
# dfslim ignore=DFS007 -- the original final stage runs it on `busybox:1.37-uclibc` which has no glibc: it must be static
COPY --from=build /out/wc /usr/local/bin/wc
WORKDIR /data
ENTRYPOINT ["wc"]
