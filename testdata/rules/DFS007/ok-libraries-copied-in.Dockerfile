FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/orders ./cmd/orders

FROM scratch
COPY --from=build /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /out/orders /orders
USER 65534
ENTRYPOINT ["/orders"]
