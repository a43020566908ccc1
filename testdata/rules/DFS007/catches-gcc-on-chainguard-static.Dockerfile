FROM gcc:14 AS build
WORKDIR /src
COPY hello.c .
RUN gcc -O2 -o /out/hello hello.c

FROM cgr.dev/chainguard/static:latest
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
