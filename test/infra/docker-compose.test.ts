import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// No Docker engine on CI machines: docker-compose.yml is kept correct by reading it here.

type Service = {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
};

const root = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
// merge: compose files share settings through YAML anchors and `<<` merge keys.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

describe('docker-compose.yml', () => {
  it('runs MongoDB 7 and Redis 7 with healthchecks', () => {
    expect(service('mongo').image).toMatch(/^mongo:7(\.|$)/);
    expect(service('redis').image).toMatch(/^redis:7(\.|-|$)/);
    expect(service('mongo').healthcheck?.test?.join(' ')).toContain('ping');
    expect(service('redis').healthcheck?.test?.join(' ')).toContain('ping');
  });

  it.each([
    ['api', 'api,smtp'],
    ['worker', 'worker'],
  ])('builds %s from the Dockerfile with roles %s and the compose services as backends', (name, roles) => {
    const app = service(name);
    expect(app.build).toBe('.');
    expect(app.environment).toMatchObject({
      INTAKE_ROLES: roles,
      MONGODB_URI: 'mongodb://mongo:27017/intake',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(app.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('publishes HTTP on 3000 and SMTP on 2525 from the api, listening on all container interfaces', () => {
    const api = service('api');
    expect(api.ports?.map((p) => p.split(':').slice(-2).join(':'))).toEqual(['3000:3000', '2525:2525']);
    expect(api.environment).toMatchObject({ HTTP_PORT: '3000', SMTP_PORT: '2525', HTTP_HOST: '0.0.0.0' });
    expect(api.environment).toHaveProperty('INTAKE_API_KEY');
    expect(api.environment).toHaveProperty('INTAKE_ADMIN_KEY');
    expect(api.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:3000/health');
  });

  it('lets the worker scale (`--scale worker=N`): no fixed name, no published ports', () => {
    const worker = service('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const dockerfile = existsSync(join(root, 'Dockerfile')) ? read('Dockerfile') : '';

  it('builds the product alone (npm run build:image) on Node 20, then drops dev dependencies', () => {
    expect(dockerfile).toMatch(/^FROM node:20[-\w.]* AS build$/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('npm run build:image');
    expect(dockerfile).not.toMatch(/COPY tools/);
    expect(dockerfile).toContain('npm prune --omit=dev');
  });

  it('runs dist/src/main.js, which the image build makes from src/main.ts and nothing of tools/', () => {
    expect(dockerfile).toContain('CMD ["node", "dist/src/main.js"]');
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: '.', outDir: './dist' });
    const image = JSON.parse(read('tsconfig.image.json')) as { extends: string; include: string[] };
    expect(image).toEqual({ extends: './tsconfig.build.json', include: ['src/**/*.ts'] });
    expect(existsSync(join(root, 'src', 'main.ts'))).toBe(true);
  });

  it('keeps node_modules, dist and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.git', 'tools']));
  });
});
