FROM node:22-bookworm-slim AS build
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
CMD ["node", "src/index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build --chown=65532:65532 /usr/src/app /usr/src/app
CMD ["src/index.js"]
