FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY . .
HEALTHCHECK CMD ["/nodejs/bin/node", "healthcheck.js"]
CMD ["server.js"]
