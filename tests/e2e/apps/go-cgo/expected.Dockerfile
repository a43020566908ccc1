FROM golang:1.24-trixie AS build

WORKDIR /src
COPY go.mod main.go ./
# gcc is in the image, so cgo is on: the binary links glibc
RUN go install .

# cgo is on by default in golang:*-trixie (gcc present) and the code imports "C": the binary
# needs glibc, so `base` (not `static`).
FROM gcr.io/distroless/cc-debian13:nonroot
# the one artifact: `go install .` in module example.com/cgo-demo writes $GOPATH/bin/cgo-demo,
# /go/bin/cgo-demo (GOPATH=/go in the golang image); CMD found it through PATH=/go/bin:...
COPY --from=build /go/bin/cgo-demo /go/bin/cgo-demo
CMD ["/go/bin/cgo-demo"]
