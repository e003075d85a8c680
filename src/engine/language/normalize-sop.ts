/**
 * Raw YAML data (already valid against the schema) → `SopDefinition`: defaults filled in,
 * durations parsed, implicit `next` links resolved. Remembers where each step sits in the
 * source so semantic checks can point at it.
 */
import { parseDuration } from './duration.js';
import { DEFAULT_LABELS } from './sop-types.js';
import type {
  FlowStep, Party, RequirementGroup, SopDefinition, SopIdentity, SopStep, StepKind, StepOutput,
} from './sop-types.js';
import type { Position } from './yaml-source.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML data, shape guaranteed by the schema */

export type SourcePath = Array<string | number>;

export interface NormalizedSop {
  definition: SopDefinition;
  /** Path in the YAML document of each step, by step id (first occurrence). */
  stepPaths: Map<string, SourcePath>;
}

export function normalizeSop(raw: any, positionAt: (path: SourcePath) => Position): NormalizedSop {
  const steps: SopStep[] = [];
  const roleTitles = new Map(Object.entries((raw.roles ?? {}) as Record<string, any>).map(([id, role]) => [id, String(role?.title ?? id)]));
  const stepPaths = new Map<string, SourcePath>();

  const addList = (list: any[], basePath: SourcePath, procedure: string | undefined, rowOf: (i: number) => number): void => {
    const nextFlowIds = implicitNextIds(list);
    list.forEach((item, index) => {
      const path = [...basePath, index];
      const step = normalizeStep(item, nextFlowIds[index]!, procedure, rowOf(index), positionAt(path), roleTitles);
      if (!stepPaths.has(step.id)) stepPaths.set(step.id, path);
      steps.push(step);
      if (item.kind === 'procedure') {
        addList(item.steps ?? [], [...path, 'steps'], step.id, () => rowOf(index));
      }
    });
  };
  // Printed numbering: a row that says its number keeps it (a condition printed inside row 5, a
  // loop test for row 4); the others count on from the highest number so far.
  let highest = 0;
  const printedRows = (raw.steps as any[]).map((item) => {
    const row = Number.isInteger(item?.row) && item.row > 0 ? (item.row as number) : highest + 1;
    highest = Math.max(highest, row);
    return row;
  });
  addList(raw.steps, ['steps'], undefined, (i) => printedRows[i]!);

  const mainFlow = steps.filter((s) => s.procedure === undefined && isFlowKind(s.kind));
  const definition: SopDefinition = {
    id: raw.id,
    version: raw.version,
    identity: normalizeIdentity(raw.identity),
    roles: Object.entries(raw.roles as Record<string, any>).map(([id, role]) => ({ id, title: role.title, ...(role.description ? { description: role.description } : {}) })),
    labels: { ...DEFAULT_LABELS, ...(raw.labels ?? {}) },
    escalation: { notify: raw.escalation?.notify ?? [] },
    ...(raw.totalTime !== undefined ? { totalTime: raw.totalTime, ...budget(raw.totalTime, 'totalBudgetMs') } : {}),
    steps,
    start: mainFlow[0]?.id ?? '',
  };
  return { definition, stepPaths };
}

function isFlowKind(kind: StepKind): boolean {
  return kind !== 'rule' && kind !== 'procedure' && kind !== 'duty';
}

/** For each row, the next flow row after it in the same list (rules and procedures skipped), or null. */
function implicitNextIds(list: any[]): Array<string | null> {
  const out = new Array<string | null>(list.length);
  let next: string | null = null;
  for (let i = list.length - 1; i >= 0; i -= 1) {
    out[i] = next;
    if (isFlowKind(list[i].kind ?? 'task')) next = list[i].id;
  }
  return out;
}

function budget(time: unknown, key: 'budgetMs' | 'totalBudgetMs' | 'everyMs'): Record<string, number> {
  const ms = typeof time === 'string' ? parseDuration(time) : null;
  return ms === null ? {} : { [key]: ms };
}

function normalizeOutput(output: any): StepOutput | undefined {
  if (output === undefined) return undefined;
  if (typeof output === 'string') return { name: output };
  return { name: output.name, ...(output.description ? { description: output.description } : {}), ...(output.schema ? { schema: output.schema } : {}) };
}

/** `role: a` or `role: [a, b]`: the row's pelaksana, in the order written. */
function rolesOf(role: unknown): string[] {
  if (Array.isArray(role)) return role.filter((r): r is string => typeof r === 'string');
  return typeof role === 'string' ? [role] : [];
}

/** Each kelengkapan entry is a group: a plain item (all-of, one item) or `oneOf` alternatives. */
function requirementGroupsOf(requirements: unknown): RequirementGroup[] {
  if (!Array.isArray(requirements)) return [];
  return requirements.flatMap((entry): RequirementGroup[] => {
    if (typeof entry === 'string') return [{ kind: 'all-of', items: [entry] }];
    if (entry && typeof entry === 'object' && Array.isArray(entry.oneOf)) return [{ kind: 'one-of', items: entry.oneOf.filter((i: unknown) => typeof i === 'string') }];
    return [];
  });
}

function normalizeStep(item: any, implicitNext: string | null, procedure: string | undefined, row: number, source: Position, roleTitles: ReadonlyMap<string, string>): SopStep {
  const kind: StepKind = item.kind ?? 'task';
  const roles = rolesOf(item.role);
  const requirementGroups = requirementGroupsOf(item.requirements);
  const base = {
    id: item.id,
    activity: item.activity,
    ...(roles.length > 0 ? { role: roles[0] } : {}),
    roles,
    ...(item.by === 'any' || item.by === 'all' ? { by: item.by as 'any' | 'all' } : {}),
    requirements: requirementGroups.flatMap((g) => g.items),
    requirementGroups,
    ...(item.time !== undefined ? { time: item.time, ...budget(item.time, 'budgetMs') } : {}),
    ...(item.output !== undefined ? { output: normalizeOutput(item.output) } : {}),
    ...(item.note !== undefined ? { note: item.note } : {}),
    notify: item.notify ?? [],
    ...(procedure !== undefined ? { procedure } : {}),
    row,
    source,
  };
  switch (kind) {
    case 'task':
      return {
        ...base, kind, role: roles[0]!, next: item.next ?? implicitNext,
        ...(item.uses !== undefined ? { uses: item.uses } : {}),
        ...(item.document !== undefined ? { document: item.document } : {}),
        input: item.input ?? {},
        parties: item.parties !== undefined
          ? item.parties.map((p: Party) => ({ id: p.id, role: p.role, title: p.title }))
          // A row done by all its pelaksana: each role signs, as a party of its own.
          : item.by === 'all' ? roles.map((role) => ({ id: role, role, title: roleTitles.get(role) ?? role })) : [],
      };
    case 'decision':
      return { ...base, kind, role: roles[0]!, branches: { ...item.branches } };
    case 'loop':
      return { ...base, kind, role: roles[0]!, repeat: item.repeat, exit: item.exit, ...(item.every !== undefined ? { every: item.every, ...budget(item.every, 'everyMs') } : {}) };
    case 'approval':
      return { ...base, kind, role: roles[0]!, approved: item.approved ?? implicitNext, refused: item.refused ?? null };
    case 'rule':
      return { ...base, kind, role: roles[0]!, enforces: item.enforces ?? [], ...(item.acknowledgeBefore ? { acknowledgeBefore: item.acknowledgeBefore } : {}) };
    case 'procedure':
      return { ...base, kind, role: roles[0]!, steps: (item.steps ?? []).map((s: any) => s.id) };
    case 'duty':
      return {
        ...base, kind, role: roles[0]!, every: item.every, ...budget(item.every, 'everyMs'),
        ...(item.uses !== undefined ? { uses: item.uses } : {}),
        input: item.input ?? {},
        parties: item.by === 'all' ? roles.map((role) => ({ id: role, role, title: roleTitles.get(role) ?? role })) : [],
      };
    case 'end':
      return { ...base, kind };
  }
}

function normalizeIdentity(raw: any): SopIdentity {
  const date = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
  return {
    ...(raw.government ? { government: raw.government } : {}),
    organization: raw.organization,
    units: raw.units ?? [],
    number: raw.number ?? null,
    title: raw.title,
    created: date(raw.created),
    revised: date(raw.revised),
    effective: date(raw.effective),
    approvedBy: { position: raw.approvedBy?.position ?? null, name: raw.approvedBy?.name ?? null, ...(raw.approvedBy?.rank ? { rank: raw.approvedBy.rank } : {}), ...(raw.approvedBy?.nip ? { nip: raw.approvedBy.nip } : {}) },
    legalBasis: raw.legalBasis ?? [],
    ...(raw.qualificationsIntro ? { qualificationsIntro: raw.qualificationsIntro } : {}),
    qualifications: raw.qualifications ?? [],
    relatedSops: raw.relatedSops ?? [],
    equipment: raw.equipment ?? [],
    ...(raw.warning ? { warning: raw.warning } : {}),
    records: raw.records ?? [],
  };
}

/** Flow steps only, for callers that walk the graph. */
export function flowSteps(definition: SopDefinition): FlowStep[] {
  return definition.steps.filter((s): s is FlowStep => isFlowKind(s.kind));
}
