FROM golang:1.23-alpine AS builder
ARG VERSION=v1.12.0
RUN CGO_ENABLED=0 go install gotest.tools/gotestsum@${VERSION}

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /work
COPY --from=builder /go/bin/gotestsum /usr/local/bin/
ENTRYPOINT ["gotestsum"]
