// Two tiers (STYLE.md): `unit` = *.spec.ts beside pure code, no I/O, no services;
// `integration` = test/**/*.test.ts against real MongoDB-wire and Redis servers found or started once
// per run by test/setup/global-setup.ts. `npx jest --selectProjects unit` runs the fast tier alone.

// Transpile only (isolatedModules): type errors are `npm run typecheck`'s job, and skipping the type
// checker makes ts-jest several times faster. Decorator metadata is still emitted from tsconfig.json's
// emitDecoratorMetadata, which NestJS injection needs.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }],
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transform,
};

/** @type {import('jest').Config} */
module.exports = {
  // A run whose tests have all ended must end too. Twice in twelve runs a handle outlived every test
  // file (a pending FileHandle read, as Node's file-backed Blob leaves behind an upload, and a timer)
  // and jest waited forever after printing its results. The results stand; jest says it forced the exit.
  forceExit: true,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      // testTimeout is a global option in Jest 29, not a per-project one: set it in a setup file.
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
  ],
};
