# The same subpath import, to a module that runs no program.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev
COPY . .
CMD ["node", "server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["server.js"]
