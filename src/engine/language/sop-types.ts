/**
 * The validated, normalised form of one SOP file: what the compiler, the renderer and the
 * case engine consume. Produced only by `validateSop`, so every reference in it resolves.
 */

export type StepKind = 'task' | 'decision' | 'loop' | 'approval' | 'rule' | 'procedure' | 'end';

/** Where a value came from in the YAML source (1-based), for messages about it later. */
export interface SourceSpan {
  line: number;
  column: number;
}

export interface SopIdentity {
  government: string;
  organization: string;
  units: string[];
  number: string;
  title: string;
  created: string;
  revised: string | null;
  effective: string | null;
  approvedBy: { position: string; name: string; rank?: string; nip?: string };
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
  /** Pelaksana; absent only on an end row. */
  role?: string;
  /** Kelengkapan. */
  requirements: string[];
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
  every?: string;
  everyMs?: number;
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

export type SopStep = TaskStep | DecisionStep | LoopStep | ApprovalStep | RuleStep | ProcedureStep | EndStep;

/** Steps that are states of a flow (main or procedure); rules and procedures are not. */
export type FlowStep = TaskStep | DecisionStep | LoopStep | ApprovalStep | EndStep;

export interface SopDefinition {
  id: string;
  version: number;
  identity: SopIdentity;
  /** In column order. */
  roles: SopRole[];
  escalation: { notify: string[] };
  totalTime?: string;
  totalBudgetMs?: number;
  /** Every step, main table and procedures alike, in document order. */
  steps: SopStep[];
  /** The first step of the main flow. */
  start: string;
}

export function isFlowStep(step: SopStep): step is FlowStep {
  return step.kind !== 'rule' && step.kind !== 'procedure';
}

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
