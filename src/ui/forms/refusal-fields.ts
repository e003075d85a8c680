/** Sorting the engine's refusals by where they belong on the step page. */
import type { ErrorSchema } from '@rjsf/utils';
import type { Refusal } from '../api/client';

export interface PlacedRefusals {
  checklist: Refusal[];
  party: Refusal[];
  rules: Refusal[];
  /** Output refusals as rjsf's error schema, keyed by the field's path. */
  output: ErrorSchema;
  outputCount: number;
  reason: Refusal[];
  /** Everything without a place of its own, shown at the top. */
  general: Refusal[];
}

/** `describe` words a refusal in the UI's language (the output form shows it under its field). */
export function placeRefusals(refusals: Refusal[], describe: (refusal: Refusal) => string): PlacedRefusals {
  const placed: PlacedRefusals = { checklist: [], party: [], rules: [], output: {}, outputCount: 0, reason: [], general: [] };
  for (const refusal of refusals) {
    const field = refusal.field ?? '';
    if (field === '/checklist' || refusal.code === 'kelengkapan-missing') placed.checklist.push(refusal);
    else if (field === '/party') placed.party.push(refusal);
    else if (refusal.code === 'rule-not-acknowledged' || field === '/rule') placed.rules.push(refusal);
    else if (field === '/reason') placed.reason.push(refusal);
    else if (field === '/output' || field.startsWith('/output/')) {
      addOutputError(placed.output, field.slice('/output'.length).split('/').filter(Boolean).map(unescapePointer), describe(refusal));
      placed.outputCount += 1;
    } else placed.general.push(refusal);
  }
  return placed;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function addOutputError(schema: ErrorSchema, path: string[], message: string): void {
  let node = schema as Record<string, unknown>;
  for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
  const errors = (node.__errors ??= []) as string[];
  errors.push(message);
}
