import type { NextFunction, Request, Response } from 'express';
import { sameSecret } from '../../core/secret-compare';

/** The token of `Authorization: Bearer <token>`, else null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** The secret an operator presents: a Bearer token, or the password of Basic auth (any user name). */
export function presentedSecret(header: string | undefined): string | null {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!basic) return bearerToken(header);
  const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/**
 * Guards the operators' pages (the queue dashboard sees every workspace's jobs) with the operator key
 * alone: no workspace's API key opens them.
 */
export function adminAuth(adminKey: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const secret = presentedSecret(req.headers.authorization);
    if (secret !== null && sameSecret(secret, adminKey)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Intake operators", charset="UTF-8"');
    res.status(401).json({
      error: {
        code: 'unauthorized',
        message: 'The operator key (INTAKE_ADMIN_KEY) is needed, as Bearer or as the Basic password.',
      },
    });
  };
}
