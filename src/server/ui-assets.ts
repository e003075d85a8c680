/**
 * The web UI's built files (dist/ui, made by `npm run build:ui`; `npm start` builds them when they
 * are missing or older than src/ui). `/` answers the UI's page; its routes live in the URL's hash,
 * so nothing else needs a fallback. Hashed assets are cached for good; the page never is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { homePage } from './home-page.js';

export const UI_DIR = fileURLToPath(new URL('../../dist/ui', import.meta.url));

export function mountUi(app: Express, version: string, dir = UI_DIR): void {
  app.use('/assets', express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  app.get('/', (_req, res) => {
    const page = join(dir, 'index.html');
    // Checked per request, so a UI built after the server started is served without a restart.
    if (!existsSync(page)) {
      res.type('html').send(homePage(version));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page);
  });
}
