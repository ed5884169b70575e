import { randomBytes } from 'node:crypto';
import { fixedChunks } from './gridfs-writer';

async function collect(pieces: Buffer[], size: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  async function* source() {
    yield* pieces;
  }
  for await (const c of fixedChunks(source(), size)) out.push(Buffer.from(c));
  return out;
}

describe('fixedChunks', () => {
  it('re-cuts pieces of any size into exact chunks, the last one shorter, bytes unchanged', async () => {
    for (let round = 0; round < 200; round++) {
      const size = 1 + Math.floor(Math.random() * 64);
      const pieces = Array.from({ length: Math.floor(Math.random() * 20) }, () =>
        randomBytes(Math.floor(Math.random() * 150)),
      );
      const whole = Buffer.concat(pieces);
      const chunks = await collect(pieces, size);
      expect(Buffer.concat(chunks).equals(whole)).toBe(true);
      expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
      const last = chunks[chunks.length - 1];
      if (last) expect(last.length).toBeGreaterThan(0);
      expect(chunks.length).toBe(Math.ceil(whole.length / size));
    }
  });

  it('yields nothing for an empty source', async () => {
    expect(await collect([], 8)).toEqual([]);
    expect(await collect([Buffer.alloc(0)], 8)).toEqual([]);
  });
});
