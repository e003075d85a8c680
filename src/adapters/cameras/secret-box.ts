/**
 * Camera passwords at rest: AES-256-GCM under a key from the configuration (ALUR_CAMERA_KEY) when
 * one is set; otherwise kept in a separate column marked `plain:`, still never listed or logged.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class SecretBoxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretBoxError';
  }
}

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function sealSecret(value: string, key: string | undefined): string {
  if (key === undefined) return `plain:${value}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `aes:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

export function openSecret(sealed: string, key: string | undefined): string {
  if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
  const [scheme, iv, tag, body] = sealed.split(':');
  if (scheme !== 'aes' || iv === undefined || tag === undefined || body === undefined) throw new SecretBoxError('a stored camera password has an unknown format');
  if (key === undefined) throw new SecretBoxError('camera passwords are encrypted but ALUR_CAMERA_KEY is not set; start Alur with the key they were stored under');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretBoxError('a stored camera password does not open with ALUR_CAMERA_KEY; was the key changed?', { cause: error });
  }
}
