FROM debian:trixie AS build
RUN apt-get update && apt-get install -y musl-tools
WORKDIR /src
COPY hello.c .
RUN musl-gcc -static -O2 -o /usr/local/bin/hello hello.c

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
CMD ["hello"]
