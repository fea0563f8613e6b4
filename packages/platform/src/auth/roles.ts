/**
 * Roles and scoping (design.md "User"): platform roles act everywhere but only within their duty (separation of duties,
 * 等保三级: the admin manages accounts, the security officer keys and keys' use, the auditor reads the audit log);
 * reviewers act within a region and the regions below it; organisation roles act within one organisation.
 * Objects outside a principal's scope answer 404, so their existence is not disclosed.
 */
import { YzError } from '@yinzhang/gm';
import type { Q } from '../db/schema.js';

export const PLATFORM_ROLES = ['admin', 'security_officer', 'auditor'] as const;
export const REGION_ROLES = ['reviewer'] as const;
export const ORG_ROLES = ['org_admin', 'custodian', 'approver', 'member'] as const;
export const ALL_ROLES = [...PLATFORM_ROLES, ...REGION_ROLES, ...ORG_ROLES] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type OrgRole = (typeof ORG_ROLES)[number];
export type Role = (typeof ALL_ROLES)[number];

export interface RoleGrant { role: Role; regionCode?: string | null; orgId?: string | null }

export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  /** For audit: "user:<id>" or "api_key:<id>". */
  actor: string;
  roles: RoleGrant[];
  orgId: string | null;
}

export const unauthenticated = (): never => {
  throw new YzError('UNAUTHENTICATED', 'authentication required');
};
export const forbidden = (why = 'not permitted for your role'): never => {
  throw new YzError('FORBIDDEN', why);
};

export const hasPlatformRole = (p: Principal, ...roles: PlatformRole[]): boolean =>
  p.roles.some((g) => (roles as string[]).includes(g.role) && !g.orgId && !g.regionCode);

export const orgRolesOf = (p: Principal, orgId: string): Set<string> =>
  new Set(p.roles.filter((g) => g.orgId === orgId).map((g) => g.role));

export const hasOrgRole = (p: Principal, orgId: string, ...roles: OrgRole[]): boolean => {
  const mine = orgRolesOf(p, orgId);
  return roles.some((r) => mine.has(r));
};

export const reviewerRegions = (p: Principal): string[] =>
  p.roles.filter((g) => g.role === 'reviewer' && g.regionCode).map((g) => g.regionCode!);

/** A region and its ancestors (the regions whose reviewers cover it). */
export async function regionAncestors(q: Q, code: string): Promise<string[]> {
  const out: string[] = [];
  let cur: string | null = code;
  for (let depth = 0; cur && depth < 8; depth++) {
    out.push(cur);
    const row: { parent_code: string | null } | undefined = await q.selectFrom('regions').select('parent_code').where('code', '=', cur).executeTakeFirst();
    cur = row?.parent_code ?? null;
  }
  return out;
}

export async function reviewerCovers(q: Q, p: Principal, regionCode: string): Promise<boolean> {
  const mine = reviewerRegions(p);
  if (mine.length === 0) return false;
  const chain = await regionAncestors(q, regionCode);
  return chain.some((c) => mine.includes(c));
}

/** Whether the principal may see an organisation's objects at all (reading). */
export async function canSeeOrg(q: Q, p: Principal, org: { id: string; region_code: string }): Promise<boolean> {
  if (hasPlatformRole(p, 'admin', 'security_officer', 'auditor')) return true;
  if (orgRolesOf(p, org.id).size > 0) return true;
  return reviewerCovers(q, p, org.region_code);
}

export function requireAnyRole(p: Principal, roles: Role[]): void {
  if (!p.roles.some((g) => roles.includes(g.role))) forbidden();
}
