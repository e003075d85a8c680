/** Where the web UI may load live video from: the CSP's media origins, never a wildcard. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const origins = (env: Record<string, string>) => loadConfig(env).media.browserOrigins;

describe('ALUR_MEDIA_ORIGINS', () => {
  it('defaults to the embedded media server\'s own origin when it is fixed, else none', () => {
    expect(origins({})).toEqual(['http://127.0.0.1:8000']);
    expect(origins({ ALUR_MEDIA_HOST: '10.0.0.2', ALUR_MEDIA_HTTP_PORT: '8080' })).toEqual(['http://10.0.0.2:8080']);
    expect(origins({ ALUR_MEDIA_HTTP_PORT: '0' })).toEqual([]);
    expect(origins({ ALUR_MEDIA_HOST: '0.0.0.0' })).toEqual([]);
    expect(origins({ ALUR_MEDIA_SERVER: 'off' })).toEqual([]);
  });

  it('takes a list of http(s) origins and refuses anything else', () => {
    expect(origins({ ALUR_MEDIA_ORIGINS: 'http://10.0.0.2:8000, https://media.example.go.id/' })).toEqual(['http://10.0.0.2:8000', 'https://media.example.go.id']);
    for (const bad of ['*', 'http://10.0.0.2:8000/live', 'rtmp://10.0.0.2', 'ws://x:1']) {
      expect(() => origins({ ALUR_MEDIA_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
  });
});
