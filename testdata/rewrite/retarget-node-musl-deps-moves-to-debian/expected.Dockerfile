FROM node:22-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --omit=dev

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /
WORKDIR /app
COPY --from=build /app /app
CMD ["index.js"]
