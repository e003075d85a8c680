/**
 * The words of the SOP file format, for messages about it: which fields exist where, what
 * Indonesian or loose names process owners use for them, which fields belong to which step kind,
 * and a short gloss of the required ones.
 */
import sopSchema from '../../../sops/sop.schema.json' with { type: 'json' };

/** Indonesian column names and common slips, mapped to the field that holds them. */
export const FIELD_ALIASES: Record<string, string> = {
  kegiatan: 'activity',
  aktivitas: 'activity',
  pelaksana: 'role',
  kelengkapan: 'requirements',
  salahSatu: 'oneOf',
  'salah-satu': 'oneOf',
  oleh: 'by',
  label: 'labels',
  judulKolom: 'labels',
  persyaratan: 'requirements',
  waktu: 'time',
  hasil: 'output',
  keluaran: 'output',
  keterangan: 'note',
  catatan: 'note',
  cabang: 'branches',
  larangan: 'enforces',
  peran: 'roles',
  langkah: 'steps',
  judul: 'title',
  nama: 'name',
  jabatan: 'position',
  pangkat: 'rank',
  nomor: 'number',
  'dasar-hukum': 'legalBasis',
  dasarHukum: 'legalBasis',
  peralatan: 'equipment',
  peringatan: 'warning',
  kualifikasi: 'qualifications',
  pencatatan: 'records',
  keterkaitan: 'relatedSops',
  pemerintah: 'government',
  organisasi: 'organization',
  budget: 'time',
  duration: 'time',
  branch: 'branches',
  requirement: 'requirements',
  jenis: 'kind',
  type: 'kind',
  description: 'note',
  deskripsi: 'note',
};

/** Aliases that mean something else at the top of the file than on a step. */
export const ROOT_ALIASES: Record<string, string> = {
  waktu: 'totalTime',
  'jumlah-waktu': 'totalTime',
  time: 'totalTime',
  pelaksana: 'roles',
  peran: 'roles',
  versi: 'version',
  identitas: 'identity',
  eskalasi: 'escalation',
  kegiatan: 'steps',
};

export const STEP_KINDS = ['task', 'decision', 'loop', 'approval', 'rule', 'procedure', 'duty', 'end'];

/** Fields that belong to one step kind only, for "add kind: decision" hints. */
export const KIND_FIELDS: Record<string, readonly string[]> = {
  branches: ['decision'],
  repeat: ['loop'],
  exit: ['loop'],
  every: ['loop', 'duty'],
  approved: ['approval'],
  refused: ['approval'],
  enforces: ['rule'],
  acknowledgeBefore: ['rule'],
  steps: ['procedure'],
  next: ['task'],
  uses: ['task', 'duty'],
  input: ['task', 'duty'],
  parties: ['task'],
};

/** What plays the part of a task's `next` in the other kinds. */
export const NEXT_EQUIVALENT: Record<string, string> = { loop: 'exit', approval: 'approved', decision: 'branches' };

const STEP_FIELDS = ['id', 'kind', 'activity', 'role', 'by', 'requirements', 'time', 'output', 'note', 'row', 'notify', ...Object.keys(KIND_FIELDS)];

/** The mappings of an SOP file, each with the fields the schema allows in it. */
export type Place = 'root' | 'identity' | 'approvedBy' | 'role' | 'escalation' | 'labels' | 'step' | 'requirement' | 'output' | 'party';

const defs = sopSchema.$defs;
export const PLACE_FIELDS: Record<Place, string[]> = {
  root: Object.keys(sopSchema.properties),
  identity: Object.keys(defs.identity.properties),
  approvedBy: Object.keys(defs.identity.properties.approvedBy.properties),
  role: Object.keys(defs.role.properties),
  escalation: Object.keys(sopSchema.properties.escalation.properties),
  labels: Object.keys(sopSchema.properties.labels.properties),
  step: STEP_FIELDS,
  requirement: Object.keys(defs.requirement.properties),
  output: Object.keys(defs.output.properties),
  party: Object.keys(defs.party.properties),
};

/** Mappings that occur once, so "belongs under X" can name them. */
export const SINGLE_PLACES: Array<[Place, string]> = [['root', 'at the top level of the file'], ['identity', 'under "identity"'], ['approvedBy', 'under "identity.approvedBy"'], ['labels', 'under "labels"']];

export function placeOf(path: readonly string[]): Place | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const isIndex = last !== undefined && /^\d+$/.test(last);
  if (path.length === 0) return 'root';
  if (path.length === 1 && last === 'identity') return 'identity';
  if (path.length === 1 && last === 'escalation') return 'escalation';
  if (path.length === 1 && last === 'labels') return 'labels';
  if (parent === 'requirements' && isIndex) return 'requirement';
  if (path.length === 2 && parent === 'identity' && last === 'approvedBy') return 'approvedBy';
  if (path.length === 2 && parent === 'roles') return 'role';
  if (parent === 'steps' && isIndex) return 'step';
  if (parent === 'parties' && isIndex) return 'party';
  if (last === 'output') return 'output';
  return undefined;
}

const GLOSSES: Record<string, string> = {
  'step.role': ' (pelaksana: the role that performs this row)',
  'step.activity': ' (kegiatan: the activity text as printed)',
  'step.branches': ' (the named branches, e.g. ya/tidak, and the step each goes to)',
  'step.repeat': ' (the first step of the next round)',
  'step.exit': ' (where the flow continues when the loop ends)',
  'step.steps': ' (the steps of the procedure)',
  'root.steps': ' (the activity table)',
  'root.roles': ' (pelaksana: one entry per role column)',
  'identity.title': ' (nama SOP, as printed)',
  'identity.number': ' (nomor SOP, as printed)',
  'identity.created': ' (tanggal pembuatan, e.g. 2024-01-15)',
  'identity.approvedBy': ' (disahkan oleh: position and name)',
  'identity.legalBasis': ' (dasar hukum: a list of regulations)',
  'role.title': ' (the column heading as printed)',
};

export function fieldGloss(place: Place | undefined, field: string): string {
  return GLOSSES[`${place}.${field}`] ?? '';
}
