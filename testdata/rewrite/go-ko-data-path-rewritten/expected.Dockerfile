FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /ko-app/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
ENV KO_DATA_PATH=/var/run/ko
COPY --chown=65532:65532 kodata /var/run/ko
COPY --from=build /ko-app/server /ko-app/server
ENTRYPOINT ["/ko-app/server"]
