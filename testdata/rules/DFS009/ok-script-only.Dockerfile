FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY . .
CMD ["server.js"]
