FROM alpine:3.20 AS base
RUN apk add --no-cache ca-certificates

FROM base
COPY ./bin/agent /agent
USER 1000
ENTRYPOINT ["/agent"]
