FROM gcr.io/distroless/static-debian13:nonroot
CMD ["/app", 8080]
