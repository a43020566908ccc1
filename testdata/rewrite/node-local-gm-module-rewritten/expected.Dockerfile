FROM node:22 AS build
WORKDIR /srv/thumbnails
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 3000
CMD ["node", "thumbs.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /srv/thumbnails
COPY --from=build /srv/thumbnails /srv/thumbnails
EXPOSE 3000
CMD ["thumbs.js"]
