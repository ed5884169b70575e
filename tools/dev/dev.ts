import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { provisionServices } from '../infra/service-provisioner';
import { repoRoot } from '../repo-root';

// `npm run dev`: finds or starts MongoDB and Redis, then runs every role in this process.
// Production (`npm start`) never provisions anything: it is given MONGODB_URI and REDIS_URL.

const REPO_ROOT = repoRoot();

function log(msg: string): void {
  process.stdout.write(`[dev] ${msg}\n`);
}

/** A secret kept in .intake/<file>, made once. */
function devSecret(file: string, prefix: string): string {
  const path = resolve(REPO_ROOT, '.intake', file);
  if (!existsSync(path))
    writeFileSync(path, `${prefix}${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

async function main(): Promise<void> {
  // Read .env first, so a MONGODB_URI / REDIS_URL written there wins over starting our own.
  loadDotenv({ path: resolve(REPO_ROOT, '.env'), quiet: true });
  const services = await provisionServices({ dataDir: resolve(REPO_ROOT, '.intake'), log });
  process.env.MONGODB_URI = services.mongoUri;
  process.env.REDIS_URL = services.redisUrl;
  // A dev API key and operator key that stay the same across runs, so curl commands keep working.
  mkdirSync(resolve(REPO_ROOT, '.intake'), { recursive: true });
  process.env.INTAKE_API_KEY ||= devSecret('dev-api-key', 'ik_dev_');
  process.env.INTAKE_ADMIN_KEY ||= devSecret('dev-admin-key', 'op_dev_');
  // Without a relay, Intake's email answers land here as .eml files, to read and reply to by hand.
  process.env.INTAKE_MAIL_DIR ??= resolve(REPO_ROOT, '.intake', 'mail');
  // The CLI reads this file when MONGODB_URI / REDIS_URL are unset, so `intake …` finds these servers.
  const servicesFile = resolve(REPO_ROOT, '.intake', 'services.json');
  writeFileSync(servicesFile, JSON.stringify({ mongoUri: services.mongoUri, redisUrl: services.redisUrl }));

  let app: { close(): Promise<void>; url?: string } | undefined;
  let closing = false;
  // Nest's own shutdown hooks also close the app on a signal and then re-raise it, so repeated
  // signals while closing are expected: ignore them and bound the whole shutdown instead.
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing`);
    setTimeout(() => {
      log('still closing after 10 s: exiting');
      process.exit(1);
    }, 10_000).unref();
    try {
      await app?.close();
    } catch (err) {
      log(`closing the app failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await services.stop();
      rmSync(servicesFile, { force: true });
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const { startApp } = await import('../../src/app/start');
    app = await startApp(process.env);
  } catch (err) {
    await services.stop();
    throw err;
  }

  const env = process.env;
  log(`MongoDB   ${services.mongoUri}`);
  log(`Redis     ${services.redisUrl}`);
  log(
    `started   ${services.started.length ? services.started.join(', ') : 'nothing (MONGODB_URI and REDIS_URL given)'}`,
  );
  log(`roles     ${env.INTAKE_ROLES ?? 'api,smtp,worker'}`);
  const http = app.url ?? `http://127.0.0.1:${env.HTTP_PORT ?? '3000'}`;
  log(`HTTP      ${http}`);
  log(`web page  ${http}/ (sign in with the API key below)`);
  if ((env.INTAKE_ROLES ?? 'api,smtp,worker').includes('smtp')) {
    const domain = env.IMPORT_DOMAIN ?? 'import.localhost';
    log(
      `SMTP      ${env.SMTP_HOST ?? '127.0.0.1'}:${env.SMTP_PORT ?? '2525'} (clients@, leads@, companies@${domain})`,
    );
    log(
      env.OUTBOUND_SMTP_URL
        ? 'answers   sent through OUTBOUND_SMTP_URL'
        : `answers   written to ${env.INTAKE_MAIL_DIR} as .eml files`,
    );
  }
  log('API key   in .intake/dev-api-key (default workspace): KEY=$(cat .intake/dev-api-key)');
  log('dashboard /admin/queues, with the operator key in .intake/dev-admin-key (as the Basic password)');
  log(`CLI       node dist/src/doors/cli/main.js … (finds these servers through .intake/services.json)`);
  log('Ctrl-C to stop');
}

main().catch((err: unknown) => {
  process.stderr.write(`[dev] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
