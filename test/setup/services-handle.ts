import type { ProvisionedServices } from '../../tools/infra/service-provisioner';

// globalSetup and globalTeardown run in Jest's parent process, in separately loaded modules: the
// started services travel between them on globalThis under a registry symbol.
const KEY = Symbol.for('intake.test.services');

type Handle = { services: ProvisionedServices; dataDir: string };
type Holder = { [KEY]?: Handle };

export function saveServicesHandle(handle: Handle): void {
  (globalThis as Holder)[KEY] = handle;
}

export function takeServicesHandle(): Handle | undefined {
  const holder = globalThis as Holder;
  const handle = holder[KEY];
  delete holder[KEY];
  return handle;
}
