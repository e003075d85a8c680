/**
 * The engine's public face: pure functions from SOP text to definitions, machines, graphs and
 * simulations. No I/O here; callers read files and run effects.
 */
export { ADAPTERS, POLICIES, isAdapterName, isPolicyName, type AdapterName, type PolicyName } from './adapter-catalog.js';
export type {
  AcknowledgeEvent, ApproveEvent, CancelEvent, CaseActor, CaseContext, CaseEvent, CaseEventType, ChooseEvent, CompleteEvent,
  RefuseEvent, RetryEvent, StartProcedureEvent,
} from './case-events.js';
export { emptyCaseContext, own } from './case-events.js';
export type { Refusal } from './command-checks.js';
export { ACTIVE_STATE, compileSop, createCheckTools, stepMeta, CANCELLED_STATE, DONE_STATE, IDLE_STATE, MAIN_REGION, type SopMachine } from './compile-sop.js';
export { formatDiagnostic, hasErrors, type Diagnostic, type Severity } from './diagnostics.js';
export { formatDuration, parseDuration } from './duration.js';
export * from './event-checks.js';
export { happyPath } from './happy-path.js';
export { AdapterNotConnectedError, resolveAdapterParams, type AdapterInput } from './machine-implementations.js';
export { toMermaid } from './mermaid.js';
export { sampleFromSchema } from './sample-data.js';
export { sopSchema } from './schema-check.js';
export { actorFor, simulateSop, simulatedAdapters, SimulationStuckError, type SimulatedStep, type SimulationOptions, type SimulationResult } from './simulate-sop.js';
export * from './sop-types.js';
export { validateSop, type ValidationResult } from './validate-sop.js';
export { EVENT_TYPE, SYSTEM_ACTOR, toMachineEvent, type AnyCaseCommand, type CaseCommand, type SystemCommand } from './case-commands.js';
export {
  activeStepsOf, createRunnableVersion, decide, decideStart, type CaseStatus, type Decision, type Effect, type NotificationDraft,
  type OpenExecution, type RunnableVersion, type StepEntry, type StepExit, type StoredCase,
} from './case-decide.js';
export { CaseClosedError, ConflictError, IdempotencyKeyReusedError, InvalidSopError, NotFoundError, RefusedError, StaleSequenceError } from './case-errors.js';
export { auditKeyFrom, findChainBreak, GENESIS_HASH, hashEvent, type AuditKey, type ChainBreak, type ChainedEvent } from './event-chain.js';
export { explainRefusal } from './explain-refusal.js';
export type { AdapterRunner, Clock } from './ports.js';
