/** Camera passwords: split off, masked, put back, sealed; and the media configuration's checks. */
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../src/adapters/cameras/secret-box.js';
import { maskPassword, maskPasswordsIn, splitPassword, withPassword } from '../../src/adapters/cameras/stream-url.js';
import { parseCsv } from '../../src/app/csv-parse.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('camera stream URLs', () => {
  it('splits a password off, masks it and puts it back, whatever characters it has', () => {
    const password = 'p@ss:w/rd%1';
    const url = `rtsp://viewer:${encodeURIComponent(password)}@10.0.0.5:554/stream1?channel=1`;
    const split = splitPassword(url);
    expect(split).toEqual({ url: 'rtsp://viewer@10.0.0.5:554/stream1?channel=1', password });
    expect(withPassword(split.url, split.password)).toBe(url);
    expect(maskPassword(url)).toBe('rtsp://viewer:***@10.0.0.5:554/stream1?channel=1');
    expect(maskPasswordsIn(`[rtsp @ 0x1] ${url}: Connection refused`)).toBe('[rtsp @ 0x1] rtsp://viewer:***@10.0.0.5:554/stream1?channel=1: Connection refused');
    expect(splitPassword('rtmp://10.0.0.6/live/a')).toEqual({ url: 'rtmp://10.0.0.6/live/a', password: null });
    expect(() => splitPassword('ftp://10.0.0.7/a')).toThrow(/rtsp, rtsps, rtmp, rtmps, http, https/);
    expect(() => splitPassword('bukan url')).toThrow(/is not a URL/);
  });

  it('seals a password under the key and opens it only with the same key', () => {
    const key = 'k'.repeat(40);
    const sealed = sealSecret('rahasia', key);
    expect(sealed).toMatch(/^aes:/);
    expect(sealed).not.toContain('rahasia');
    expect(openSecret(sealed, key)).toBe('rahasia');
    expect(() => openSecret(sealed, 'x'.repeat(40))).toThrow(/does not open with ALUR_CAMERA_KEY/);
    expect(() => openSecret(sealed, undefined)).toThrow(/ALUR_CAMERA_KEY is not set/);
    expect(openSecret(sealSecret('rahasia', undefined), undefined)).toBe('rahasia');
  });

  it('reads CSV with quotes, doubled quotes and CRLF', () => {
    expect(parseCsv('name,location\r\n"A, B","say ""hi"""\r\nC,\n')).toEqual([['name', 'location'], ['A, B', 'say "hi"'], ['C', '']]);
  });
});

describe('media configuration', () => {
  it('has loopback defaults and refuses what it cannot use', () => {
    const media = loadConfig({ ALUR_DATA_DIR: '/srv/alur/data' }).media;
    expect(media).toMatchObject({ server: 'embedded', host: '127.0.0.1', rtmpPort: 1935, httpPort: 8000, cameraTimeoutMs: 5000, cameraConcurrency: 4, record: false, recordingsDir: '/srv/alur/data-recordings', demoCameras: true });
    expect(() => loadConfig({ ALUR_CAMERA_KEY: 'pendek' })).toThrow(ConfigError);
    expect(() => loadConfig({ ALUR_MEDIA_SERVER: 'external' })).toThrow(/embedded" or "off/);
    expect(() => loadConfig({ ALUR_RTMP_PORT: '70000' })).toThrow(/ALUR_RTMP_PORT/);
    expect(() => loadConfig({ ALUR_MEDIA_RECORD: 'kadang' })).toThrow(/on or off/);
  });
});
