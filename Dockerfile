# syntax=docker/dockerfile:1
# One image for every Tiffin role: `serve` (API, the default), `work` (worker), `start` (both), `migrate`,
# `topology`. Build: docker build -t tiffin .   Run: docker run -p 8080:8080 -e TIFFIN_DATABASE_URL=... tiffin
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: install every dependency, compile the workspaces (the root `prepare` script runs `tsc -b`), then
# assemble the runtime folder: each published workspace packed with `npm pack` and installed with production
# dependencies only, at the versions of package-lock.json. `npm run verify:image` runs the same assembly.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund \
 && node scripts/image/assemble-runtime.mjs /app \
 && rm -rf /app/packs

# Runtime stage: Node 24 LTS, the assembled folder, tini as PID 1 so SIGTERM reaches Node (which drains and exits 0)
# and zombies are reaped, and an unprivileged user.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/tiffin \
 && chown node:node /var/lib/tiffin
ENV NODE_ENV=production \
    PORT=8080 \
    TIFFIN_HOST=0.0.0.0 \
    TIFFIN_DATA_DIR=/var/lib/tiffin \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "tiffin"]
CMD ["serve"]
