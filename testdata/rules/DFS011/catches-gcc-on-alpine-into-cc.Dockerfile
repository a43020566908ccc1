FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
WORKDIR /src
COPY . .
RUN g++ -O2 -o /out/server server.cpp

FROM gcr.io/distroless/cc-debian13:nonroot
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
