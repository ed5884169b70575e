import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Harness, uploadsSettled } from '../support/intake-harness';

/** A request to a running Intake, with `Authorization` set from `auth` when given. */
export function request(h: Harness, path: string, init: RequestInit = {}, auth?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (auth) headers.set('Authorization', auth);
  return fetch(`${h.url}${path}`, { ...init, headers });
}

export const bearer = (key: string) => `Bearer ${key}`;
export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The app's own database, queried directly to prove what was (not) written. */
export function database(h: Harness) {
  const db = h.app.context.get<Connection>(getConnectionToken()).db;
  if (!db) throw new Error('no database connection');
  return db;
}

/** Imports and stored files of the whole database, every workspace included. */
export async function storedCounts(h: Harness): Promise<{ imports: number; files: number }> {
  const db = database(h);
  await uploadsSettled(h);
  return {
    imports: await db.collection('imports').countDocuments(),
    files: await db.collection('uploads.files').countDocuments(),
  };
}

export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error?: { code: string; message: string } };
  if (!body.error) throw new Error(`not the error shape: ${JSON.stringify(body)}`);
  return body.error;
}
