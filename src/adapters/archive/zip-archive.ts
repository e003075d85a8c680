/**
 * Zip archives in memory, for evidence exports: written with yazl, read with yauzl (which refuses
 * malformed archives and unsafe names such as `../x` or absolute paths instead of guessing).
 * Exports are small (an event log, a report, a few snapshots), so whole buffers are fine.
 */
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface ArchiveEntry {
  /** Path inside the archive, with forward slashes. */
  path: string;
  body: Buffer;
}

/** The archive cannot be read: not a zip, a broken one, or one with unsafe names. */
export class ArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

/** A zip of `entries`, in their order, each stamped with `at` (so the same export gives the same bytes). */
export function writeZip(entries: readonly ArchiveEntry[], at: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.body, entry.path, { mtime: at, mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** Every file of a zip by its path (folders left out). At most `maxBytes` uncompressed in all. */
export function readZip(zip: Buffer, maxBytes = 512 * 1024 * 1024): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(error instanceof ArchiveError ? error : new ArchiveError(`the file is not a readable zip archive: ${(error as Error).message}`, { cause: error }));
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (openError, file) => {
      if (openError || !file) return fail(openError);
      const files = new Map<string, Buffer>();
      let total = 0;
      file.on('error', fail);
      file.on('end', () => resolve(files));
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return file.readEntry();
        total += entry.uncompressedSize;
        if (total > maxBytes) return fail(new ArchiveError(`the archive unpacks to more than ${maxBytes} bytes; it is not an Alur export`));
        if (files.has(entry.fileName)) return fail(new ArchiveError(`the archive holds ${entry.fileName} twice; it was put together by hand`));
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', fail);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}
