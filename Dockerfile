# One image for every role; INTAKE_ROLES picks what a container runs (api, smtp, worker).

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.image.json ./
COPY src ./src
# The web page: its scripts compile into dist/web; index.html and app.css are served from web/public.
COPY web ./web
# The product alone: dist/src/main.js from src/main.ts, and the page's dist/web. Dev, bench and provisioning tools (tools/) stay out.
RUN npm run build:image && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/web/public ./web/public
USER node
EXPOSE 3000 2525
CMD ["node", "dist/src/main.js"]
