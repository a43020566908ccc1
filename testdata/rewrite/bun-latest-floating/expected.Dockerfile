FROM oven/bun:latest AS build
WORKDIR /srv
COPY server.ts .
USER 1000
CMD ["bun", "server.ts"]

FROM oven/bun:distroless
WORKDIR /srv
COPY --from=build /srv /srv
USER 1000
CMD ["server.ts"]
