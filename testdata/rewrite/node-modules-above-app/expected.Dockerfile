FROM node:22-bookworm-slim AS build
WORKDIR /usr/src
COPY package*.json ./
RUN npm ci --omit=dev
WORKDIR /usr/src/app
COPY . .
CMD ["node", "index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src /usr/src
CMD ["index.js"]
