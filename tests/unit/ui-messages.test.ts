/**
 * The UI's message catalogues: English has exactly the Indonesian keys, no value is empty, every
 * key the UI's sources name exists, every catalogue key is used somewhere (no dead strings), and
 * every refusal the engine can give has a title and a text in both languages naming its parameters.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/ui/i18n/messages-en.js';
import { id } from '../../src/ui/i18n/messages-id.js';
import { REFUSAL_CODES, REFUSAL_TEXTS } from '../../src/engine/index.js';

const UI = fileURLToPath(new URL('../../src/ui', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('UI message catalogues', () => {
  const text = sources(UI).join('\n');

  it('has the same keys in Bahasa Indonesia and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const [key, value] of [...Object.entries(id), ...Object.entries(en)]) expect(value.trim(), key).not.toBe('');
  });

  it('has every key the UI names literally, with the same placeholders in both languages', () => {
    const named = [...text.matchAll(/\bt\('([a-zA-Z.-]+)'/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(50);
    for (const key of named) expect(Object.keys(id), key).toContain(key);
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    for (const key of Object.keys(id) as Array<keyof typeof id>) expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
  });

  it('has no key the UI never uses (keys built at run time are named by their prefix)', () => {
    const dynamicPrefixes = ['refusal.', 'refusalText.', 'case.status.', 'audit.by.', 'editor.severity.', 'unit.', 'notif.kind.', 'admin.token.'];
    const unused = Object.keys(id).filter((key) => !text.includes(`'${key}'`) && !dynamicPrefixes.some((p) => key.startsWith(p)));
    expect(unused).toEqual([]);
  });

  it('words every refusal code and variant of the engine in both languages, with exactly its parameters', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
    const catalogues = { id: id as Record<string, string>, en: en as Record<string, string> };
    expect(REFUSAL_CODES.length).toBeGreaterThanOrEqual(20);
    const wanted: string[] = [];
    for (const code of REFUSAL_CODES) {
      for (const [lang, catalogue] of Object.entries(catalogues)) expect(catalogue[`refusal.${code}`], `${lang}: title of refusal ${code}`).toBeDefined();
      for (const [variant, params] of Object.entries(REFUSAL_TEXTS[code] as Record<string, readonly string[]>)) {
        const key = `refusalText.${code}.${variant}`;
        wanted.push(key);
        for (const [lang, catalogue] of Object.entries(catalogues)) {
          expect(catalogue[key], `${lang}: ${key}`).toBeDefined();
          expect(placeholders(catalogue[key]!), `${lang}: ${key}`).toEqual([...params].sort());
        }
      }
    }
    // No text for a refusal the engine no longer gives.
    expect(Object.keys(id).filter((key) => key.startsWith('refusalText.')).sort()).toEqual(wanted.sort());
    expect(Object.keys(id).filter((key) => key.startsWith('refusal.') && key !== 'refusal.other').sort()).toEqual(REFUSAL_CODES.map((c) => `refusal.${c}`).sort());
  });
});
