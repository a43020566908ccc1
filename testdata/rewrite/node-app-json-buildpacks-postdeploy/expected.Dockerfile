FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "src/index.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["src/index.js"]
