# One image for every role; INTAKE_ROLES picks what a container runs (api, smtp, worker).

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.image.json ./
COPY src ./src
# The product alone: dist/src/main.js from src/main.ts. Dev, bench and provisioning tools (tools/) stay out.
RUN npm run build:image && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000 2525
CMD ["node", "dist/src/main.js"]
