import { getConnectionToken } from '@nestjs/mongoose';
import { dkimSign, sealMessage, type ARCSealOptions, type DNSResolver } from 'mailauth';
import type { Connection } from 'mongoose';
import { generateKeyPairSync } from 'node:crypto';
import { MailAuthCheck } from '../../src/protocols/mail/mail-auth.check';
import { JobQueues } from '../../src/engine/queue/job-queues';
import { Harness, uploadsSettled } from '../support/intake-harness';

/**
 * The DNS of the test's own little internet: SPF, DMARC and the DKIM keys the test generates. mailauth
 * asks it instead of the network; everything else about SPF, DKIM, DMARC and ARC is mailauth's real work.
 */
export class TestDns {
  private readonly txt = new Map<string, string[][]>();
  private readonly failing = new Set<string>();
  private readonly silent = new Set<string>();

  record(name: string, value: string): this {
    this.txt.set(name.toLowerCase(), [[value]]);
    return this;
  }

  /** Every lookup at or under `domain` fails the way an unreachable name server does. */
  serverFailure(domain: string): this {
    this.failing.add(domain.toLowerCase());
    return this;
  }

  /** Lookups at or under `domain` never get an answer. */
  noAnswer(domain: string): this {
    this.silent.add(domain.toLowerCase());
    return this;
  }

  /** A fresh RSA key for `selector._domainkey.domain`; returns the private key (PEM). */
  dkimKey(domain: string, selector = 's1'): string {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    this.record(`${selector}._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${p}`);
    return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  readonly resolver: DNSResolver = async (name: string, type: string) => {
    const n = name.toLowerCase().replace(/\.$/, '');
    for (const d of this.silent)
      if (n === d || n.endsWith(`.${d}`)) return new Promise<never>(() => undefined);
    for (const d of this.failing) {
      if (n === d || n.endsWith(`.${d}`)) {
        throw Object.assign(new Error(`query${type} ESERVFAIL ${name}`), { code: 'ESERVFAIL' });
      }
    }
    const found = type === 'TXT' ? this.txt.get(n) : undefined;
    if (found) return found;
    throw Object.assign(new Error(`query${type} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };

  /** Makes the running Intake ask this DNS. */
  serve(h: Harness): void {
    h.app.context.get(MailAuthCheck).useResolver(this.resolver);
  }
}

/** A message with one CSV attachment whose columns map with certainty (auto-start would start it). */
export function csvMail(opts: {
  from: string | string[];
  to: string;
  subject?: string;
  headers?: string[];
}): string {
  const froms = ([] as string[]).concat(opts.from).map((f) => `From: ${f}`);
  const id = `<${Math.random().toString(36).slice(2)}@test.example>`;
  return [
    ...(opts.headers ?? []),
    ...froms,
    `To: ${opts.to}`,
    `Subject: ${opts.subject ?? 'contacts'}`,
    `Message-ID: ${id}`,
    'Date: Thu, 26 Nov 2026 06:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Here are the contacts.',
    '--b1',
    'Content-Type: text/csv; name="people.csv"',
    'Content-Disposition: attachment; filename="people.csv"',
    '',
    'First Name,Last Name,Email',
    'Ana,Lopez,ana.lopez@example.net',
    '--b1--',
    '',
  ].join('\r\n');
}

/** The message with a DKIM-Signature of `domain` prepended, made with `privateKey`. */
export async function dkimSigned(
  raw: string,
  domain: string,
  privateKey: string,
  selector = 's1',
): Promise<string> {
  const key = { signingDomain: domain, selector, privateKey };
  const res = await dkimSign(raw, { ...key, signatureData: [key] });
  if (res.errors.length) throw new Error(`DKIM signing failed: ${JSON.stringify(res.errors)}`);
  return res.signatures + raw;
}

/** The message with an ARC set by `sealer` prepended, carrying `authResults` as the sealer's verdict. */
export async function arcSealed(
  raw: string,
  sealer: string,
  privateKey: string,
  authResults: string,
  selector = 'arc',
): Promise<string> {
  const seal = { signingDomain: sealer, selector, privateKey, authResults, cv: 'none' } as ARCSealOptions;
  return (await sealMessage(raw, seal)).toString() + raw;
}

export interface Stored {
  /** Raw messages and uploads in GridFS. */
  files: number;
  conversations: number;
  imports: number;
  /** Jobs of every queue, in any state. */
  jobs: number;
}

/** What the database and the queues hold: a refused message must change none of it. */
export async function stored(h: Harness): Promise<Stored> {
  const db = h.app.context.get<Connection>(getConnectionToken()).db!;
  await uploadsSettled(h);
  let jobs = 0;
  for (const q of h.app.context.get(JobQueues).bullQueues()) {
    const counts = await q.getJobCounts();
    jobs += Object.values(counts).reduce((a, b) => a + b, 0);
  }
  return {
    files: await db.collection('uploads.files').countDocuments(),
    conversations: await db.collection('email_conversations').countDocuments(),
    imports: await db.collection('imports').countDocuments(),
    jobs,
  };
}

/**
 * Nothing was stored since `before`: the same files, conversations and imports, and no more jobs (jobs of
 * earlier tests, such as a reply still being sent, may finish and leave the queue meanwhile).
 */
export async function expectNothingStoredSince(h: Harness, before: Stored): Promise<void> {
  const after = await stored(h);
  expect({ ...after, jobs: 0 }).toEqual({ ...before, jobs: 0 });
  expect(after.jobs).toBeLessThanOrEqual(before.jobs);
}
