FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -static -o /hello hello.c

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /hello /hello
ENTRYPOINT ["/hello"]
