# app: go-cgo
# caught-by: behaviour
# Wrong on purpose (for run.sh --self-test): the cgo binary put on `static`, which has no
# glibc. The image builds, but the binary cannot start (no /lib64/ld-linux-x86-64.so.2).
FROM golang:1.24-trixie AS build

WORKDIR /src
COPY go.mod main.go ./
# gcc is in the image, so cgo is on: the binary links glibc
RUN go install .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /go/bin/cgo-demo /go/bin/cgo-demo
CMD ["/go/bin/cgo-demo"]
