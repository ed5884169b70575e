/** What `within` rejects with when its time ran out (p itself may still settle later). */
export class TimedOut extends Error {}

/** Settles as p does, or rejects with a TimedOut carrying `message` when p takes longer than ms. */
export async function within<T>(ms: number, p: Promise<T>, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(message)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
