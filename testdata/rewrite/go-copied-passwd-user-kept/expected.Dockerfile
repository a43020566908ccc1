FROM golang:1.22-alpine AS build
RUN adduser -D -u 10001 appuser
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /out/server /server
USER appuser
ENTRYPOINT ["/server"]
