FROM debian:bookworm-slim AS build
RUN groupadd --system app && useradd --system --gid app --no-create-home app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
WORKDIR /src
COPY . .
RUN make && make install PREFIX=/opt/app

FROM ubuntu:24.04
COPY --from=build /opt/app /opt/app
USER app
ENTRYPOINT ["/opt/app/bin/server"]
