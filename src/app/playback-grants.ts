/**
 * Short-lived signed playback URLs. A grant names the case and step it was issued for, the
 * recording, the approval (surat perintah/disposisi) and its expiry, signed with HMAC-SHA256;
 * nothing else opens a recording.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PlaybackGrant {
  caseId: string;
  step: string;
  organizationId: string;
  recordingId: string;
  approval: string;
  expiresAt: number;
}

export class PlaybackSigner {
  private readonly key: Buffer;

  /** Without a configured key a random one is made: grants then open only in this process. */
  constructor(secret?: string) {
    this.key = secret ? Buffer.from(`alur-playback:${secret}`, 'utf8') : randomBytes(32);
  }

  sign(grant: PlaybackGrant): string {
    const body = Buffer.from(JSON.stringify(grant), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The grant if the token is genuine, else undefined (expiry is the caller's to check against its clock). */
  verify(token: string): PlaybackGrant | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PlaybackGrant;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
