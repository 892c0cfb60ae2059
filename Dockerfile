# Commonsnet production image. TypeScript runs directly on Node 24 (type stripping): there is no build
# step, so one stage is enough. The base image's Node major must match the `node` devDependency in
# package.json (test/deploy/compose-config.test.ts checks it).
FROM node:24-bookworm-slim

# DATA_DIR holds the embedded database (when DATABASE_URL is unset), the generated secret (when
# SECRET_KEY is unset) and the design files (STORAGE_DIR). Mount a volume there if you run the image on its own.
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/commonsnet \
    STORAGE_DIR=/var/lib/commonsnet/files

WORKDIR /app

# --omit=dev also skips the `node` devDependency: in the image the base image's Node 24 runs the code.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The code stays owned by root and read-only to the process; only DATA_DIR is writable.
COPY . .
RUN mkdir -p /var/lib/commonsnet/files && chown -R node:node /var/lib/commonsnet

USER node
EXPOSE 8080

# main.ts drains on SIGTERM: HTTP stops accepting, in-flight requests and queue handlers finish.
STOPSIGNAL SIGTERM

# /healthz answers 200 when the database answers and 503 while draining. There is no curl in slim
# images, so Node's fetch probes it. A worker (NODE_ROLE=worker) serves no HTTP: run it with
# --no-healthcheck (docker-compose.yml disables the check for the worker service).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Not `npm start`: npm would look for the dev-only `node` package, and it forwards signals less directly.
CMD ["node", "server/app/main.ts"]
