FROM node:22-slim AS build
WORKDIR /app
COPY package*.json tsconfig.json ./
RUN npm ci
COPY src ./src
RUN npm run build

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 package*.json ./
COPY --chown=65532:65532 --from=build /app/node_modules ./node_modules
COPY --chown=65532:65532 --from=build /app/dist ./dist
EXPOSE 3000
CMD ["dist/server.js"]
