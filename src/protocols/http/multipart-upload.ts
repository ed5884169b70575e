import busboy from 'busboy';
import type { Request } from 'express';
import { Readable } from 'node:stream';
import { IntakeError } from '../../core/intake-error';

export interface MultipartFile {
  fileName: string;
  stream: Readable;
}

/**
 * Hands over the first file part of a multipart request as a stream, as it arrives, plus the text
 * fields seen before it; `fieldsAfter` resolves with every field once the request has been read.
 */
export function readMultipartFile(
  req: Request,
  maxBytes: number,
): Promise<{
  file: MultipartFile;
  fieldsBefore: Record<string, string>;
  fieldsAfter: Promise<Record<string, string>>;
}> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20 } });
    } catch {
      reject(
        new IntakeError('invalid_request', 'Upload the CSV as multipart/form-data with a "file" field.'),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let gotFile = false;
    let resolveAfter: (f: Record<string, string>) => void = () => undefined;
    const fieldsAfter = new Promise<Record<string, string>>((r) => (resolveAfter = r));
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (_name, stream, info) => {
      if (gotFile) {
        stream.resume();
        return;
      }
      gotFile = true;
      resolve({
        file: { fileName: info.filename || 'upload.csv', stream },
        fieldsBefore: { ...fields },
        fieldsAfter,
      });
    });
    bb.on('close', () => {
      resolveAfter(fields);
      if (!gotFile)
        reject(
          new IntakeError('invalid_request', 'The request has no file. Send the CSV in a "file" field.'),
        );
    });
    bb.on('error', (e) => {
      if (!gotFile)
        reject(new IntakeError('invalid_request', `The upload could not be read: ${(e as Error).message}`));
    });
    req.pipe(bb);
  });
}
