/**
 * Camera stream URLs: which schemes Alur reads, and how the password is kept out of sight. The
 * password is split off before a URL is stored, shown as `***`, and put back only to connect.
 */

export const STREAM_SCHEMES = ['rtsp:', 'rtsps:', 'rtmp:', 'rtmps:', 'http:', 'https:'] as const;

export class StreamUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamUrlError';
  }
}

/** Parse and check a stream URL; throws with what to write instead. */
export function parseStreamUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new StreamUrlError(`"${maskPassword(text)}" is not a URL; write it as rtsp://host:554/path, rtmp://host/app/key or http://host/live/key.flv`);
  }
  if (!(STREAM_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw new StreamUrlError(`a camera stream must be ${STREAM_SCHEMES.map((s) => s.slice(0, -1)).join(', ')} (got "${url.protocol.slice(0, -1)}")`);
  }
  if (url.hostname === '') throw new StreamUrlError('a camera stream URL needs a host, e.g. rtsp://192.168.1.20:554/stream1');
  return url;
}

/** The URL without its password, and the password (decoded) if it had one. */
export function splitPassword(text: string): { url: string; password: string | null } {
  const url = parseStreamUrl(text);
  const password = url.password === '' ? null : decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), password };
}

/** The stored URL with its password put back, for connecting. */
export function withPassword(stored: string, password: string | null): string {
  if (password === null) return stored;
  const url = new URL(stored);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The URL as shown to people and logs: a password, if any, becomes `***`. Never throws. */
export function maskPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@');
}

/** Mask every URL password inside free text (ffmpeg's error lines quote the URL). */
export function maskPasswordsIn(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/gi, '$1:***@');
}
