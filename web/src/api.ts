// The page's only way out: the public HTTP API on this origin, with the workspace API key as Bearer.
import type { ImportView, RecordType } from './types.js';

export type {
  Column,
  Counts,
  Field,
  ImportView,
  OnDuplicate,
  RecordType,
  RecordsPage,
  Status,
} from './types.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function errorOf(status: number, text: string): Promise<ApiError> {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return new ApiError(body.error.message, status);
  } catch {
    // not our JSON error shape
  }
  return new ApiError(`The server answered ${status}.`, status);
}

export class Api {
  constructor(private readonly key: string) {}

  private headers(json: boolean): Headers {
    const h = new Headers({ Authorization: `Bearer ${this.key}`, Accept: 'application/json' });
    if (json) h.set('Content-Type', 'application/json');
    return h;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await res.text();
    if (!res.ok) throw await errorOf(res.status, text);
    return JSON.parse(text) as T;
  }

  /** A file the API serves (sample CSV, skipped-rows report), with the name the server gave it. */
  async file(path: string): Promise<{ blob: Blob; name: string }> {
    const res = await fetch(path, { headers: this.headers(false), credentials: 'omit', cache: 'no-store' });
    if (!res.ok) throw await errorOf(res.status, await res.text());
    const disposition = res.headers.get('Content-Disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download.csv';
    return { blob: await res.blob(), name };
  }

  /** Uploads with XMLHttpRequest, the one browser API that reports upload progress. */
  upload(
    file: File,
    type: RecordType,
    onProgress: (sent: number, total: number) => void,
  ): Promise<ImportView> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/imports');
      xhr.setRequestHeader('Authorization', `Bearer ${this.key}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) onProgress(e.loaded, e.total);
      });
      xhr.addEventListener('load', () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as ImportView);
        else void errorOf(xhr.status, xhr.responseText).then(reject);
      });
      xhr.addEventListener('error', () => reject(new ApiError('The upload did not reach the server.', 0)));
      const form = new FormData();
      form.append('type', type);
      form.append('file', file, file.name);
      xhr.send(form);
    });
  }
}
