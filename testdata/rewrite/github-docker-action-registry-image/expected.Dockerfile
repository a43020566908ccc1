# action.yml runs a published image (docker://), not this build; and GitHub runs the
# container as the image's user, with the workspace mounted.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /state-action .

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /
COPY --from=build /state-action /state-action
ENTRYPOINT ["/state-action"]
