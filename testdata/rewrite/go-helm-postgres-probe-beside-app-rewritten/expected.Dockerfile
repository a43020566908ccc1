FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /ledger .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /ledger /usr/local/bin/ledger
USER 10001
EXPOSE 8080
ENTRYPOINT ["ledger"]
