FROM node:22-bookworm-slim AS build
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml .npmrc ./
RUN pnpm install --frozen-lockfile --prod
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
EXPOSE 3000
CMD ["server.js"]
