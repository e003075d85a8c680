/**
 * The names an SOP may bind to (`uses:`) and the policies a rule may enforce (`enforces:`).
 * The engine declares them; adapters supply implementations under the same names.
 */

export const ADAPTERS = {
  'cameras.checkAll': 'Probe every registered camera (ffprobe) and store the health result with a snapshot as evidence.',
  'cameras.snapshot': 'Take a JPEG snapshot of a camera as evidence (sha256 recorded).',
  'media.startRelay': 'Pull a camera stream with a supervised ffmpeg and publish it on the media server.',
  'media.stopRelay': 'Stop a running relay.',
  'recordings.playback': 'Open a recording for playback; allowed only after an approval, and every view is logged.',
} as const;

export type AdapterName = keyof typeof ADAPTERS;

/**
 * Output values only an adapter's own report may claim: nobody can write "berjalan" for a relay
 * the media server never listed. Without the report the step can still be completed, saying it failed.
 */
export const ADAPTER_CLAIMS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'media.startRelay': { status: 'berjalan' },
} satisfies Partial<Record<AdapterName, Record<string, unknown>>>;

export const POLICIES = {
  'recordings.immutable': 'Recordings and evidence cannot be altered or deleted through Alur; attempts are refused and logged.',
  'recordings.restrictedDisclosure': 'Recordings are shown to outside parties only through an approved playback procedure.',
} as const;

export type PolicyName = keyof typeof POLICIES;

export function isAdapterName(name: string): name is AdapterName {
  return Object.hasOwn(ADAPTERS, name);
}

export function isPolicyName(name: string): name is PolicyName {
  return Object.hasOwn(POLICIES, name);
}
