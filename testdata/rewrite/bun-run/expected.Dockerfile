FROM oven/bun:1 AS build
WORKDIR /app
COPY package.json index.ts ./
COPY src ./src
EXPOSE 3000
CMD ["bun", "run", "index.ts"]

FROM oven/bun:1-distroless
WORKDIR /app
COPY --from=build /app /app
EXPOSE 3000
USER nonroot
CMD ["run", "index.ts"]
