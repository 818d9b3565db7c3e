# cloudwatch-publisher: a small, non-root image with Node.js 22 and tini.
# Build:  docker build -t cloudwatch-publisher .
# Run:    docker run -d --name cwp -e AWS_REGION=ap-southeast-2 -v "$PWD/config.yaml:/config/config.yaml:ro" cloudwatch-publisher
# Works with --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges.
# Legacy-builder compatible (no RUN --mount). Base images are pinned; bump both tags together.
ARG NODE_BUILD_IMAGE=node:22.23.5-alpine3.22
ARG RUNTIME_IMAGE=alpine:3.22

# 1. Compile TypeScript with every dependency.
FROM ${NODE_BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY schema ./schema
COPY src ./src
RUN npx tsc -p tsconfig.json

# 2. Production dependencies only, without what Node never loads at run time: type declarations,
#    source maps, and the AWS SDK's ES-module and types builds (Node resolves its CommonJS build).
#    This takes node_modules from about 17 MB to 9 MB.
FROM ${NODE_BUILD_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && find node_modules \( -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.map' \
      -o -name dist-types -o -name dist-es \) -prune -exec rm -rf {} + \
 && rm -rf /root/.npm

# 3. The runtime: Alpine's Node.js 22 and tini, no npm, no yarn, no compilers.
FROM ${RUNTIME_IMAGE}
RUN apk add --no-cache nodejs~22 tini \
 && mkdir -p /var/lib/cloudwatch-publisher /config \
 && chown 10001:10001 /var/lib/cloudwatch-publisher
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY package.json ./
COPY schema ./schema
COPY config ./config

ENV NODE_ENV=production \
    HOME=/tmp \
    OUTBOX_DIR=/var/lib/cloudwatch-publisher
# Undelivered datums survive restarts here: OUTBOX_DIR applies in heartbeat mode and to a config
# file that does not set delivery.outboxDir itself.
VOLUME ["/var/lib/cloudwatch-publisher"]
# A numeric UID, so Kubernetes' runAsNonRoot can verify it; no passwd entry is needed.
USER 10001:10001

LABEL org.opencontainers.image.title="cloudwatch-publisher" \
      org.opencontainers.image.description="Publishes custom metrics to Amazon CloudWatch on cron schedules" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/cloudwatch-publisher/cloudwatch-publisher"

STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "/app/dist/src/cli.js", "healthcheck"]
# tini is PID 1: it forwards signals to node and reaps the orphans of command sources.
ENTRYPOINT ["/sbin/tini", "--", "node", "/app/dist/src/cli.js"]
CMD ["run"]
