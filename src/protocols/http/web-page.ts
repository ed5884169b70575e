import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/**
 * The browser page's own policy: everything from this origin, nothing inline, no frames, no forms posted
 * anywhere. The page talks to the API with fetch/XHR on the same origin and saves files through blob:
 * links with `download`, which are downloads, not loads the policy governs.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', WEB_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  next();
}

/** The folder holding package.json: the page's files sit at the same place from src/ and from dist/src/. */
function packageRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return from;
}

export interface WebFiles {
  /** index.html and app.css */
  pages: string;
  /** the compiled scripts */
  scripts: string;
}

export function webFiles(from = __dirname): WebFiles {
  const root = packageRoot(from);
  return { pages: join(root, 'web', 'public'), scripts: join(root, 'dist', 'web') };
}

const SCRIPT = /^\/web\/js\/([a-z][a-z-]*\.js)$/;

/**
 * The page at `/`, its stylesheet at `/web/app.css` and its scripts under `/web/js/`. Only these exact
 * paths are taken, so `/docs`, `/health`, `/imports…` and the other routes answer as before.
 */
export function webPage(files: WebFiles = webFiles()) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    const script = SCRIPT.exec(path)?.[1];
    const file =
      path === '/'
        ? join(files.pages, 'index.html')
        : path === '/web/app.css'
          ? join(files.pages, 'app.css')
          : script
            ? join(files.scripts, script)
            : null;
    if (!file) return next();
    securityHeaders(req, res, () =>
      res.sendFile(file, { dotfiles: 'deny' }, (err) => {
        if (err && !res.headersSent)
          res.status(404).json({ error: { code: 'not_found', message: 'No such file.' } });
      }),
    );
  };
}
