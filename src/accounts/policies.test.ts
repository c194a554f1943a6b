import { describe, expect, it } from 'vitest';
import {
  canDeleteCertificate, canManagePeople, canSearchOrganizations, canUploadCertificate,
  canResetPassword, canViewAuditOf, canViewOrganization, canViewRadar, type Actor,
} from './policies.js';

const OWN = '0123456789abcdef01234567';
const OTHER = 'fedcba9876543210fedcba98';

const support: Actor = { id: 's', role: 'support', organizationIds: [] };
const admin: Actor = { id: 'a', role: 'account_admin', organizationIds: new Set([OWN]) };
const adminAsArray: Actor = { id: 'a', role: 'account_admin', organizationIds: [OWN] };

describe('organization rules', () => {
  it('support can view and upload for any organization without being a member', () => {
    expect(canViewOrganization(support, OTHER)).toBe(true);
    expect(canUploadCertificate(support, OTHER)).toBe(true);
  });

  it('an account admin can view and upload only for their own organization', () => {
    expect(canViewOrganization(admin, OWN)).toBe(true);
    expect(canUploadCertificate(admin, OWN)).toBe(true);
    expect(canViewOrganization(admin, OTHER)).toBe(false);
    expect(canUploadCertificate(admin, OTHER)).toBe(false);
  });

  it('memberships given as an array work like a set', () => {
    expect(canUploadCertificate(adminAsArray, OWN)).toBe(true);
    expect(canUploadCertificate(adminAsArray, OTHER)).toBe(false);
  });

  it('only support can delete a certificate, even of the admin own organization', () => {
    expect(canDeleteCertificate(support, OTHER)).toBe(true);
    expect(canDeleteCertificate(admin, OWN)).toBe(false);
  });
});

describe('support-only tools', () => {
  it.each([
    ['canSearchOrganizations', canSearchOrganizations],
    ['canViewRadar', canViewRadar],
    ['canManagePeople', canManagePeople],
  ] as const)('%s allows support and refuses an account admin', (_name, rule) => {
    expect(rule(support)).toBe(true);
    expect(rule(admin)).toBe(false);
  });
});

describe('audit visibility', () => {
  it('support can see the whole trail and any organization', () => {
    expect(canViewAuditOf(support, null)).toBe(true);
    expect(canViewAuditOf(support, OTHER)).toBe(true);
  });

  it('an account admin sees only their organization audit, never the whole trail', () => {
    expect(canViewAuditOf(admin, OWN)).toBe(true);
    expect(canViewAuditOf(admin, OTHER)).toBe(false);
    expect(canViewAuditOf(admin, null)).toBe(false);
  });
});

describe('password resets from the web', () => {
  it('support may reset an account admin, never a support account (the operator CLI does that)', () => {
    expect(canResetPassword(support, { role: 'account_admin' })).toBe(true);
    expect(canResetPassword(support, { role: 'support' })).toBe(false);
    expect(canResetPassword(admin, { role: 'account_admin' })).toBe(false);
  });
});
