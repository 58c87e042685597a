# syntax=docker/dockerfile:1
# Mami's container image. docs/deploy.md explains it; test/deploy/ checks it and runs its commands.
#
#   docker build -t mami .
#   docker run --init --env-file .env -p 127.0.0.1:9464:9464 -v mami-data:/app/data mami
#
# Debian slim (glibc) rather than Alpine (musl): sharp's prebuilt libvips and sqlite3's prebuilt
# binding are made for glibc first, and when sqlite3's binding cannot be fetched it compiles from
# source with the tools installed below. Every stage uses the same base, so native modules built
# in one run in the other.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: dev dependencies and esbuild, producing dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here, and the build itself needs
# neither sqlite3 nor sharp compiled (esbuild finds its binary without its install script).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY commands ./commands
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, dist/, a non-root user ----
FROM ${NODE_IMAGE} AS runtime
# METRICS_HOST=0.0.0.0 so that Prometheus in another container can scrape /metrics; publish the
# port only where it should be seen (compose.yaml binds nothing of it to the host).
ENV NODE_ENV=production \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
# Production packages only. --ignore-scripts again because `prepare` runs the build and esbuild is
# a dev dependency; the two native modules then get their own install scripts with `npm rebuild`.
# The compilers are sqlite3's fallback when its prebuilt binding cannot be downloaded; they are
# installed and removed in this one layer, so the image never carries them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild sqlite3 sharp \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.npm /root/.cache
COPY --from=build /app/dist ./dist
# SQLite's default file (STORE_URL=sqlite://data/mami.sqlite) is the only thing Mami writes; the
# code and node_modules stay owned by root, read-only to the process.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# The base image's `node` user, given by number so that an orchestrator can verify it is not root.
USER 1000:1000
# 9464: /healthz and /metrics. 8443: Telegram webhook mode (TELEGRAM_WEBHOOK_PORT), when used.
EXPOSE 9464 8443
# /healthz answers 200 only while every enabled adapter is connected and the store answers. The
# slim image has no curl or wget, so Node asks; node:http rather than fetch, which costs this
# check three times the CPU to load. It gives up after 4 s, before Docker's --timeout kills it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({ host: '127.0.0.1', port: process.env.METRICS_PORT || 9464, path: '/healthz', timeout: 4000 }, (response) => process.exit(response.statusCode === 200 ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1))"]
# Mami stops on SIGTERM: adapters stop taking messages, replies in flight get
# SHUTDOWN_GRACE_SECONDS, then the store closes. Give `docker stop` a longer timeout than that.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/cli.js", "start"]
