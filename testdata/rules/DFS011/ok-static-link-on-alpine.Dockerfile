FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN gcc -static -O2 -o /out/hello hello.c

FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
