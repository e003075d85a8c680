/** The shapes the UI reads from the API (see /api/v1/openapi.json and src/server/case-views.ts). */

export interface User {
  id: string;
  username: string;
  displayName: string;
  organizationId: string;
  roles: string[];
}

export interface Organization {
  id: string;
  name: string;
  timeZone: string;
}

export interface StepTiming {
  step: string;
  row: number | null;
  visit: number;
  procedure: string | null;
  kind: string;
  role: string | null;
  budgetMs: number | null;
  availableAt: string;
  dueAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  waitMs: number | null;
  workMs: number | null;
  elapsedMs: number | null;
  actors: string[];
  outcome: string | null;
  output: unknown;
  overdue: boolean;
}

export interface Task extends StepTiming {
  caseId: string;
  caseTitle: string;
  sopId: string;
  sopTitle: string;
  activity: string;
  time: string | null;
  /** The pelaksana's title as the SOP writes it. */
  roleTitle: string | null;
}

export interface RequirementGroup {
  kind: 'all-of' | 'one-of';
  items: string[];
}

export interface OutputSpec {
  name: string;
  description?: string;
  schema?: Record<string, unknown>;
}

export interface Party {
  id: string;
  role: string;
  title: string;
}

export interface OpenStep {
  step: string;
  kind: 'task' | 'decision' | 'loop' | 'approval' | 'rule' | 'procedure' | 'end';
  row: number | null;
  activity: string;
  role?: string;
  roles: string[];
  requirements?: string[];
  requirementGroups?: RequirementGroup[];
  time?: string;
  budgetMs?: number;
  output?: OutputSpec;
  parties?: Party[];
  visit: number;
  availableAt: string;
  startedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  signatures: Record<string, string>;
  adapterResult: unknown;
  branches?: string[];
}

export interface CaseSummary {
  id: string;
  sopId: string;
  sopVersionId: number;
  title: string;
  status: 'active' | 'completed' | 'cancelled';
  seq: number;
  activeSteps: string[];
  startedAt: string;
  startedBy: string;
  endedAt: string | null;
}

export interface RuleView {
  step: string;
  activity: string;
  role?: string;
  acknowledgedBy: string | null;
}

export interface CaseEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: { id: string; roles: string[] };
  at: string;
  hash: string;
}

export interface CaseDetail {
  case: CaseSummary;
  sop: { id: string; title: string; version: number; roles: Array<{ id: string; title: string }> };
  openSteps: OpenStep[];
  rules: RuleView[];
  procedures: Array<{ id: string; activity: string; role?: string }>;
  timeline: StepTiming[];
  events: CaseEvent[];
}

/** A step of a compiled SOP definition, as much of it as the UI draws. */
export interface DefinitionStep {
  id: string;
  kind: OpenStep['kind'];
  row?: number | null;
  activity: string;
  role?: string;
  roles?: string[];
  time?: string;
  budgetMs?: number;
  next?: string | null;
  branches?: Record<string, string>;
  repeat?: string;
  exit?: string;
  approved?: string | null;
  refused?: string | null;
  acknowledgeBefore?: string;
  /** The procedure a step belongs to. */
  procedure?: string;
  /** A procedure's own step ids, in order. */
  steps?: string[];
  /** The berita acara template the SOP names for a task step. */
  document?: 'berita-acara-serah-terima' | 'berita-acara-tindak-lanjut';
}

export interface SopDefinition {
  id: string;
  version: number;
  identity: { title: string; government?: string; organization: string; number: string };
  roles: Array<{ id: string; title: string }>;
  /** Every step, main table and procedures alike, in document order. */
  steps: DefinitionStep[];
  start: string;
  totalTime?: string;
  totalBudgetMs?: number;
}

export interface SopRevision {
  /** The id a case names as its sopVersionId. */
  versionId: number;
  sopId: string;
  revision: number;
  declaredVersion: number;
  title: string;
  file: string;
  contentHash: string;
  publishedAt: string;
  publishedBy: string | null;
}

export interface SopListItem {
  sopId: string;
  title: string;
  revisions: SopRevision[];
}

/** A registered camera (GET /cameras): the stream URL has any password masked. */
export interface CameraView {
  id: string;
  name: string;
  location: string;
  streamUrl: string;
  hasPassword: boolean;
  createdAt: string;
  createdBy: string;
}

/** One camera check or snapshot (GET /evidence), newest first. */
export interface EvidenceView {
  id: string;
  cameraId: string;
  caseId: string | null;
  step: string | null;
  kind: 'check' | 'snapshot';
  probedAt: string;
  ok: boolean;
  error: string | null;
  snapshotSha256: string | null;
}

export type MonitoringAssessment = 'berjalan' | 'tidak-berjalan' | 'belum-dilaksanakan';

/** One row of the monitoring form (GET /sops/{id}/monitoring): measured figures, the assessment as it reads, Catatan and Tindakan. */
export interface MonitoringRowView {
  number: string;
  stepId: string;
  procedure: string;
  assessment: MonitoringAssessment;
  count: number;
  withinBudget: number | null;
  medianMs: number | null;
  budgetMs: number | null;
  overdue: number;
  refused: number;
  note: string;
  action: string;
}

/** The auditor's own part of a row, apart from what the data suggests. */
export interface AuditorRowView {
  stepId: string;
  measured: MonitoringAssessment;
  measuredNote: string;
  assessment: 'berjalan' | 'tidak-berjalan' | null;
  note: string;
  action: string;
  writtenBy: string | null;
  writtenAt: string | null;
}

export interface MonitoringView {
  form: {
    sopId: string;
    title: string;
    number: string | null;
    revision: number;
    from: string | null;
    to: string | null;
    timeZone: string;
    threshold: number;
    rows: MonitoringRowView[];
    revisions?: number;
    signedOff?: { by: string; at: string; current: boolean };
  };
  review: AuditorRowView[];
}
