/**
 * Who may see and act on what: the one place Alur decides it, for every face (HTTP API, live
 * events, CLI). Organisations are tenants: another organisation's case does not exist for you.
 * Within one, a case is visible to the pelaksana of its SOP (anyone holding one of its roles)
 * and to the overseers (admin, process owner, auditor), who read but do not act. Lists apply the
 * same rule in SQL through `CaseScope`, so a list never shows what a single read would refuse.
 */
import { quotedList, refusal, RefusedError, type CaseActor, type RunnableVersion } from '../engine/index.js';

/** The caller may not do this (HTTP 403); unlike a refusal by the SOP, no command was considered. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Refuse (403) unless the viewer holds one of `roles` (system roles such as auditor or admin). */
export function requireRole(viewer: Pick<Viewer, 'roles'>, ...roles: string[]): void {
  if (roles.some((role) => viewer.roles.includes(role))) return;
  throw new ForbiddenError(`this needs the role ${roles.map((r) => `"${r}"`).join(' or ')}; you hold ${viewer.roles.map((r) => `"${r}"`).join(', ') || 'none'}`);
}

/** Roles that exist in every organisation, beside the pelaksana roles of its SOPs. */
export const SYSTEM_ROLES = ['admin', 'process-owner', 'auditor'] as const;

/**
 * Whoever runs the Alur installation: creates organisations and their first administrators. Not
 * an overseer: an operator reads no organisation's cases.
 */
export const OPERATOR_ROLE = 'operator';

/** Roles that read every case of their organisation. */
const OVERSEER_ROLES: readonly string[] = SYSTEM_ROLES;

export interface Viewer {
  username: string;
  organizationId: string;
  roles: readonly string[];
}

/** What a list query must filter on: the organisation, and the SOP roles unless the viewer oversees all. */
export interface CaseScope {
  organizationId: string;
  /** Only cases of SOP versions with one of these roles; undefined: every case of the organisation. */
  sopRoles?: readonly string[];
}

export function isOverseer(viewer: Pick<Viewer, 'roles'>): boolean {
  return viewer.roles.some((r) => OVERSEER_ROLES.includes(r));
}

export function caseScopeOf(viewer: Viewer): CaseScope {
  return isOverseer(viewer) ? { organizationId: viewer.organizationId } : { organizationId: viewer.organizationId, sopRoles: [...viewer.roles] };
}

function holdsSopRole(roles: readonly string[], version: RunnableVersion): boolean {
  return version.definition.roles.some((r) => roles.includes(r.id));
}

export type CaseAccess = 'visible' | 'not-found' | 'forbidden';

/** Whether `viewer` may see a case of `organizationId` running `version`. */
export function caseAccess(viewer: Viewer, organizationId: string | null, version: RunnableVersion): CaseAccess {
  if (organizationId !== viewer.organizationId) return 'not-found';
  return isOverseer(viewer) || holdsSopRole(viewer.roles, version) ? 'visible' : 'forbidden';
}

/** Whether `viewer` may give a case commands at all (the SOP's machine then decides which). */
export function mayActOnCase(viewer: Pick<Viewer, 'roles'>, version: RunnableVersion): boolean {
  return holdsSopRole(viewer.roles, version);
}

/** Starting a case of an SOP needs one of its pelaksana roles. */
export function refuseUnlessMayStartCase(actor: CaseActor, version: RunnableVersion): void {
  if (holdsSopRole(actor.roles, version)) return;
  const roles = version.definition.roles.map((r) => r.id);
  throw new RefusedError([refusal('wrong-role', 'start', { sop: version.definition.id, roles: quotedList(roles) }, `starting a "${version.definition.id}" case needs one of its roles: ${roles.join(', ')}`, '/actor/roles')]);
}

/** Whether a change event about a case may be shown to `viewer` (live updates apply the rule in memory). */
export function mayWatch(viewer: Viewer, change: { organizationId: string | null; sopRoles: readonly string[] }): boolean {
  if (change.organizationId !== viewer.organizationId) return false;
  return isOverseer(viewer) || change.sopRoles.some((r) => viewer.roles.includes(r));
}
