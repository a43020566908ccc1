FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/probe ./cmd/probe

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /out/probe /bin/probe
ENTRYPOINT ["/bin/probe"]
