/**
 * The engine's public face: pure functions from SOP text to definitions, machines, graphs and
 * simulations. No I/O here; callers read files and run effects.
 */
export { DOCUMENT_TEMPLATES, isDocumentTemplateName, type DocumentTemplateName } from './language/document-templates.js';
export { ADAPTERS, POLICIES, isAdapterName, isPolicyName, type AdapterName, type PolicyName } from './language/adapter-catalog.js';
export type {
  AcknowledgeEvent, AddNoteEvent, AdapterDoneEvent, AdapterFailedEvent, ApproveEvent, CancelEvent, CaseActor, CaseContext, CaseEvent, CaseEventType,
  ChooseEvent, CompleteEvent, OverdueEvent, RefuseEvent, RetryEvent, StartProcedureEvent, StartStepEvent,
} from './cases/case-events.js';
export { emptyCaseContext, own } from './cases/case-events.js';
export { quotedList, refusal, REFUSAL_CODES, REFUSAL_TEXTS, type Refusal, type RefusalCode } from './cases/refusals.js';
export { ACTIVE_STATE, compileSop, createCheckTools, stepMeta, CANCELLED_STATE, DONE_STATE, IDLE_STATE, MAIN_REGION, type SopMachine } from './cases/compile-sop.js';
export { formatDiagnostic, hasErrors, type Diagnostic, type Severity } from './language/diagnostics.js';
export { formatDuration, parseDuration } from './language/duration.js';
export { evaluateGuard, GUARD_CHECKS, rolesOfStep, type GuardName, type GuardParams } from './cases/event-checks.js';
export { happyPath } from './language/happy-path.js';
export { resolveAdapterParams, type AdapterInput } from './cases/machine-implementations.js';
export { toMermaid } from './language/mermaid.js';
export { sampleFromSchema } from './language/sample-data.js';
export { sopSchema } from './language/schema-check.js';
export { actorFor, simulateSop, simulatedAdapterResult, SimulationStuckError, type SimulatedStep, type SimulationOptions, type SimulationResult } from './cases/simulate-sop.js';
export * from './language/sop-types.js';
export { commandFromEvent, EVENT_TYPE, isSystemCommand, SYSTEM_ACTOR, toMachineEvent, type AnyCaseCommand, type CaseCommand, type SystemCommand } from './cases/case-commands.js';
export { isOverLimit, LIMIT_CODES, SOURCE_LIMITS, type SourceLimits } from './language/source-limits.js';
export { validateSop, type ValidateOptions, type ValidationResult } from './language/validate-sop.js';
export {
  activeStepsOf, createRunnableVersion, decide, decideStart, restore, type CaseState, type CaseStatus, type Decision, type RunnableVersion,
  type StartDecision, type StoredCase,
} from './cases/case-decide.js';
export type { AdapterRun, CaseEffects, NotificationDraft, StepEntry, StepExit } from './cases/case-effects.js';
export { MemoryCase, type MemoryCaseOptions } from './cases/memory-case.js';
export { CaseClosedError, ConflictError, EngineError, IdempotencyKeyReusedError, InvalidSopError, NotFoundError, RefusedError, StaleSequenceError } from './cases/case-errors.js';
export {
  auditKeyFrom, checkChain, findChainBreak, GENESIS_HASH, hashEvent, signAdoption, signDocument, signHead, type AuditKey, type CaseHead, type ChainBreak, type ChainCheck, type ChainedEvent,
} from './cases/event-chain.js';
export { explainRefusal, type Explanation } from './cases/explain-refusal.js';
export type { AdapterRunner, CaseObserver, Clock, ObservedState } from './ports.js';
export { coerceError } from './coerce-error.js';
