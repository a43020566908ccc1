FROM golang:1.24-trixie AS build
WORKDIR /src
COPY go.mod main.go ./
RUN go build -o /out/wc .

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /
COPY --from=build /lib64/ld-linux-x86-64.so.2 /lib64/
COPY --from=build /lib/x86_64-linux-gnu/ /lib/x86_64-linux-gnu/
COPY --from=build /out/wc /usr/local/bin/wc
WORKDIR /data
ENTRYPOINT ["wc"]
