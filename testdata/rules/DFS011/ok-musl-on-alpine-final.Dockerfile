FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN gcc -O2 -o /out/hello hello.c

FROM alpine:3.20
COPY --from=build /out/hello /usr/local/bin/hello
USER 65534
ENTRYPOINT ["/usr/local/bin/hello"]
