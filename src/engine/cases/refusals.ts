/**
 * The reasons a command can be refused, as data: a code (what kind of problem), a variant (which
 * wording of it) and the parameters the wording names (step, field, roles…). The English `message`
 * is for API users and logs; a face that speaks another language words the refusal itself from
 * code, variant and params, and REFUSAL_TEXTS is the list it must cover (the UI's catalogue test
 * enumerates it).
 *
 * @example
 * refusal('already-started', 'default', { step: 'patroli', by: 'ani' }, 'step "patroli" was already started by ani', '/step')
 */

/** Per code, per variant, the names of its parameters. */
export const REFUSAL_TEXTS = {
  'wrong-role': {
    step: ['step', 'roles', 'actor', 'held'], party: ['party', 'step', 'roles', 'actor', 'held'], rule: ['rule', 'roles', 'actor', 'held'],
    procedure: ['procedure', 'roles', 'actor', 'held'], retry: ['step', 'roles', 'actor', 'held'], cancel: ['roles'], note: ['roles'], start: ['sop', 'roles'],
  },
  'invalid-output': {
    missing: ['step', 'output'], required: ['step', 'field'], format: ['step', 'field', 'format'], enum: ['step', 'field', 'values'],
    'too-short': ['step', 'field', 'limit'], 'too-few': ['step', 'field', 'limit'], 'too-long': ['step', 'field', 'limit'], 'too-many': ['step', 'field', 'limit'],
    'too-small': ['step', 'field', 'limit'], 'too-large': ['step', 'field', 'limit'], invalid: ['step', 'field', 'problem'],
  },
  'kelengkapan-missing': { default: ['step', 'missing'] },
  'rule-not-acknowledged': { default: ['rule', 'step', 'activity'] },
  'unknown-step': { default: ['step'] },
  'wrong-command': { step: ['command', 'step', 'expected'], case: ['command'], now: ['command'], other: ['detail'] },
  'unknown-branch': { default: ['step', 'branch', 'branches'] },
  'unknown-party': { default: ['step', 'parties'] },
  'party-signed': { default: ['party', 'step', 'waiting'] },
  'same-person': { default: ['actor', 'step'] },
  'reason-required': { reason: [], note: [] },
  'procedure-open': { running: ['procedure'], closing: ['procedures'] },
  'already-acknowledged': { default: ['rule', 'by'] },
  'already-started': { default: ['step', 'by'] },
  'unknown-rule': { default: ['rule', 'rules'] },
  'unknown-procedure': { default: ['procedure', 'procedures'] },
  'no-adapter': { default: ['step'] },
  'not-current': { visit: ['visit', 'step'], run: ['run', 'step'], round: ['round', 'timer'] },
  'adapter-output': { default: ['step', 'field', 'value', 'adapter'] },
  'adapter-pending': { waiting: ['step', 'adapter', 'field', 'value'], failed: ['step', 'adapter', 'field', 'value', 'error'] },
} as const satisfies Record<string, Record<string, readonly string[]>>;

export type RefusalCode = keyof typeof REFUSAL_TEXTS;
export type RefusalVariant<C extends RefusalCode> = keyof (typeof REFUSAL_TEXTS)[C] & string;
type ParamNames<C extends RefusalCode, V extends RefusalVariant<C>> = (typeof REFUSAL_TEXTS)[C][V] extends readonly (infer N extends string)[] ? N : never;
export type RefusalParams<C extends RefusalCode, V extends RefusalVariant<C>> = Record<ParamNames<C, V>, string | number>;

export const REFUSAL_CODES = Object.keys(REFUSAL_TEXTS) as RefusalCode[];

export interface Refusal {
  code: RefusalCode;
  /** Which wording of the code (a key of REFUSAL_TEXTS[code]). */
  variant: string;
  /** The values the wording names; lists are already joined (`"a", "b"`), ids quoted as in the message. */
  params: Record<string, string | number>;
  /** In English, for API users and logs. */
  message: string;
  /** The command field at fault, as a JSON pointer into the command (`/output/nomorSurat`). */
  field?: string;
}

export function refusal<C extends RefusalCode, V extends RefusalVariant<C>>(code: C, variant: V, params: RefusalParams<C, V>, message: string, field?: string): Refusal {
  return { code, variant, params: params as Record<string, string | number>, message, ...(field !== undefined ? { field } : {}) };
}

/** `"a", "b"` — ids in a parameter, quoted as the English message quotes them; "—" for none. */
export function quotedList(items: readonly string[], separator = ', '): string {
  return items.length > 0 ? items.map((item) => `"${item}"`).join(separator) : '—';
}
