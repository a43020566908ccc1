FROM golang:1.23 AS build
WORKDIR /build
COPY go.mod ./
COPY *.go ./
RUN CGO_ENABLED=0 GOOS=linux go build -o /reports
EXPOSE 8080
CMD ["/reports"]

FROM scratch
WORKDIR /build
COPY go.mod /build/
COPY *.go /build/
COPY --from=build /reports /reports
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build --chmod=1777 /tmp /tmp
EXPOSE 8080
USER 65532:65532
CMD ["/reports"]
