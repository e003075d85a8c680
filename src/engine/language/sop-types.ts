/**
 * The validated, normalised form of one SOP file: what the compiler, the renderer and the
 * case engine consume. Produced only by `validateSop`, so every reference in it resolves.
 */

export type StepKind = 'task' | 'decision' | 'loop' | 'approval' | 'rule' | 'procedure' | 'duty' | 'end';

/** Where a value came from in the YAML source (1-based), for messages about it later. */
export interface SourceSpan {
  line: number;
  column: number;
}

/** The identitas block. Fields the paper leaves blank are null (or empty lists), never invented. */
export interface SopIdentity {
  /** "Pemerintah …"; absent for a body that is not a government (a hospital, a company). */
  government?: string;
  organization: string;
  units: string[];
  number: string | null;
  title: string;
  created: string | null;
  revised: string | null;
  effective: string | null;
  approvedBy: { position: string | null; name: string | null; rank?: string; nip?: string };
  legalBasis: string[];
  qualificationsIntro?: string;
  qualifications: string[];
  relatedSops: string[];
  equipment: string[];
  warning?: string;
  records: string[];
}

export interface SopRole {
  id: string;
  title: string;
  description?: string;
}

export interface StepOutput {
  name: string;
  description?: string;
  /** JSON Schema for the data the operator enters; absent when the output is a named document only. */
  schema?: Record<string, unknown>;
}

export interface RequirementGroup {
  kind: 'all-of' | 'one-of';
  items: string[];
}

/** Column headings of the printed table, as this office prints them. */
export interface SopLabels {
  number: string;
  activity: string;
  roles: string;
  qualityStandard: string;
  requirements: string;
  time: string;
  output: string;
  note: string;
}

export const DEFAULT_LABELS: Readonly<SopLabels> = Object.freeze({
  number: 'No', activity: 'Kegiatan', roles: 'Pelaksana', qualityStandard: 'Mutu Baku',
  requirements: 'Kelengkapan', time: 'Waktu', output: 'Output', note: 'Keterangan',
});

export interface Party {
  id: string;
  role: string;
  title: string;
}

interface StepBase {
  id: string;
  kind: StepKind;
  /** Kegiatan, as printed. */
  activity: string;
  /** Pelaksana (the first, when the row names several); absent only on an end row. */
  role?: string;
  /** Every pelaksana of the row, in the order written: one lane each in the graph and document. */
  roles: string[];
  /** For a row with several pelaksana: any one of them does it, or all of them do (each signs, as parties). */
  by?: 'any' | 'all';
  /** Kelengkapan: the text of every item, alternatives included, in document order. */
  requirements: string[];
  /** Kelengkapan as confirmed: each group needs all its items (`all-of`) or one of them (`one-of`). */
  requirementGroups: RequirementGroup[];
  /** Waktu as written, and in milliseconds; both absent when the row has no budget. */
  time?: string;
  budgetMs?: number;
  output?: StepOutput;
  note?: string;
  notify: string[];
  /** Id of the on-demand procedure this step belongs to; absent for the main flow. */
  procedure?: string;
  /** Row number (No) in the printed table: `row:` when given, else one more than the highest so far; procedure steps share their procedure's. */
  row: number;
  source: SourceSpan;
}

export interface TaskStep extends StepBase {
  kind: 'task';
  role: string;
  next: string | null;
  uses?: string;
  input: Record<string, unknown>;
  parties: Party[];
  /** The official document (a template name, see document-templates.ts) made from the case when this step is done. */
  document?: string;
}

export interface DecisionStep extends StepBase {
  kind: 'decision';
  role: string;
  branches: Record<string, string>;
}

export interface LoopStep extends StepBase {
  kind: 'loop';
  role: string;
  repeat: string;
  exit: string;
  /** With an interval, a repeated round begins `every` after the previous one began (at once if that has passed). */
  every?: string;
  everyMs?: number;
}

/** Done every `every` by its role for as long as the case runs, beside the flow (a supervisor's inspection). */
export interface DutyStep extends StepBase {
  kind: 'duty';
  role: string;
  every: string;
  everyMs?: number;
  uses?: string;
  input: Record<string, unknown>;
  parties: Party[];
}

export interface ApprovalStep extends StepBase {
  kind: 'approval';
  role: string;
  approved: string | null;
  /** null: a refusal ends the procedure (or the case, in the main flow). */
  refused: string | null;
}

export interface RuleStep extends StepBase {
  kind: 'rule';
  role: string;
  enforces: string[];
  acknowledgeBefore?: string;
}

export interface ProcedureStep extends StepBase {
  kind: 'procedure';
  role: string;
  /** Ids of the procedure's own steps, in order; the first is where it starts. */
  steps: string[];
}

export interface EndStep extends StepBase {
  kind: 'end';
}

export type SopStep = TaskStep | DecisionStep | LoopStep | ApprovalStep | RuleStep | ProcedureStep | DutyStep | EndStep;

/** Steps that are states of a flow (main or procedure); rules, procedures and duties are not. */
export type FlowStep = TaskStep | DecisionStep | LoopStep | ApprovalStep | EndStep;

export interface SopDefinition {
  id: string;
  version: number;
  identity: SopIdentity;
  /** In column order. */
  roles: SopRole[];
  labels: SopLabels;
  escalation: { notify: string[] };
  totalTime?: string;
  totalBudgetMs?: number;
  /** Every step, main table and procedures alike, in document order. */
  steps: SopStep[];
  /** The first step of the main flow. */
  start: string;
}

export function isFlowStep(step: SopStep): step is FlowStep {
  return step.kind !== 'rule' && step.kind !== 'procedure' && step.kind !== 'duty';
}

/** Steps a person completes with kelengkapan and output: tasks in a flow, and duties beside it. */
export type WorkStep = TaskStep | DutyStep;

/** Index of steps by id; every step id in a definition is unique. */
export function stepIndex(definition: SopDefinition): Map<string, SopStep> {
  return new Map(definition.steps.map((step) => [step.id, step]));
}

/** The steps a flow step leads to, with the label of each edge (branch name, 'repeat'…). */
export function successors(step: SopStep): Array<{ label: string | null; target: string | null }> {
  switch (step.kind) {
    case 'task':
      return [{ label: null, target: step.next }];
    case 'decision':
      return Object.entries(step.branches).map(([label, target]) => ({ label, target }));
    case 'loop':
      return [
        { label: 'repeat', target: step.repeat },
        { label: 'exit', target: step.exit },
      ];
    case 'approval':
      return [
        { label: 'approved', target: step.approved },
        { label: 'refused', target: step.refused },
      ];
    default:
      return [];
  }
}
