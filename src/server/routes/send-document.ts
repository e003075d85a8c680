/** Sending a rendered document over HTTP, and turning a full print queue into 503. */
import type { Response } from 'express';
import { PrinterBusyError, type RenderedDocument } from '../../app/documents/render-sop-document.js';
import { HttpProblem } from '../problem.js';

/**
 * A document is self-contained (inline styles, inline fonts, no script), so it is served with a
 * policy that allows exactly that and nothing else, whatever the API's default policy is.
 */
const DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

/** Runs a render; a full print queue becomes 503 with Retry-After. */
export async function printing<T>(res: Response, render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof PrinterBusyError)) throw error;
    res.setHeader('Retry-After', '5');
    throw new HttpProblem(503, 'printer-busy', error.message);
  }
}

/** Sends a rendered document: PDF and CSV as downloads, HTML and SVG to read, under the documents' own CSP. */
export function send(res: Response, document: RenderedDocument, fileName: string): void {
  res.setHeader('Content-Type', document.contentType);
  res.setHeader('Content-Disposition', `${document.format === 'pdf' || document.format === 'csv' ? 'attachment' : 'inline'}; filename="${fileName}"`);
  res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.status(200).send(document.body);
}
