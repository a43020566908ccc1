FROM node:22-slim AS build
WORKDIR /app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
CMD ["node", "-r", "./.pnp.cjs", "server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["-r", "./.pnp.cjs", "server.js"]
