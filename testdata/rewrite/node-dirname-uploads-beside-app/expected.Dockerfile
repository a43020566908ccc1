FROM node:22-slim AS build
WORKDIR /src
COPY package.json ./
RUN npm install
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --chown=65532:65532 --from=build /src/node_modules ./node_modules
COPY --chown=65532:65532 --from=build /src/dist/ ./
EXPOSE 3000
CMD ["server.js"]
