FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod ./
COPY . .
RUN CGO_ENABLED=0 go build -o /out/agent .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/agent /usr/local/bin/agent
USER 1000
ENTRYPOINT ["/usr/local/bin/agent"]
