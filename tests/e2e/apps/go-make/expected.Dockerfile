FROM golang:1.24-trixie AS build
WORKDIR /src
COPY . .
RUN make build
CMD ["./bin/inventory"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /src
# The project with what `make build` made in it: bin/inventory, a glibc
# program (cgo is on: the image has gcc), so base.
COPY --from=build /src /src
CMD ["./bin/inventory"]
