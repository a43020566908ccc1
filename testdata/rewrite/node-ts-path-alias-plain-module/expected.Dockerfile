# The same alias, to a module that runs no program.
FROM node:22-slim AS build
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
RUN npx tsc && npx tsc-alias
CMD ["node", "dist/main.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
CMD ["dist/main.js"]
