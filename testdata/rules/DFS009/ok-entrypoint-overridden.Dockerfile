FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY . .
ENTRYPOINT ["/nodejs/bin/node"]
CMD ["node", "server.js"]
