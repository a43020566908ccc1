FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
CMD ["/out/app"]

FROM scratch
WORKDIR /src
COPY . /src/
COPY --from=build /out/app /out/app
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build --chmod=1777 /tmp /tmp
USER 65532:65532
CMD ["/out/app"]
