# syntax=docker/dockerfile:1
#
# newsalert in a container: a static binary on a distroless base, running as
# an unprivileged user, with its config and database on the /data volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t newsalert .
#   docker run -d --name newsalert -v newsalert-data:/data \
#     -e NEWSALERT_TELEGRAM_TOKEN=123:abc -p 127.0.0.1:9090:9090 newsalert
#
# See docs/operations.md.

FROM golang:1.26-alpine AS build
WORKDIR /src
# Modules first: this layer stays cached while only the sources change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# -tags nodemo: the release leaves out `demo` and the Telegram fake it links.
RUN CGO_ENABLED=0 go build -tags nodemo -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/newsalert ./cmd/newsalert
# The volume's initial contents: an example config the operator edits, owned
# by the user the bot runs as (65532, "nonroot" in the distroless image).
RUN mkdir -p /out/data && cp config.example.yaml /out/data/config.yaml \
    && sed -i -e 's#^  path: newsalert.db#  path: /data/newsalert.db#' \
              -e 's#^  listen: ""#  listen: ":9090"#' /out/data/config.yaml

# distroless/static: CA certificates and /etc/passwd, no shell, no libc (the
# binary needs none: pure-Go SQLite, time zones embedded).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/newsalert /newsalert
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
# /metrics and /healthz (http.listen: ":9090" in the seeded config); the
# health check asks /healthz (the image has no curl).
EXPOSE 9090
HEALTHCHECK --interval=1m --timeout=10s CMD ["/newsalert", "healthcheck", "-config", "/data/config.yaml"]
ENTRYPOINT ["/newsalert"]
CMD ["run", "-config", "/data/config.yaml"]
