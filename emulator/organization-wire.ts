/*
 * Facturapi's Organization object exactly as it travels (snake_case). Only the emulator
 * builds these; the app sees the camelCase `Organization` parsed by the client.
 */

/** `pending_steps[].type` values documented by Facturapi. */
export type PendingStepType = 'legal' | 'logo' | 'certificate' | 'manifiesto';

/** Certificate (CSD) or FIEL summary; all nulls when none was uploaded. */
export interface CertificateWire {
  has_certificate: boolean;
  updated_at: string | null;
  expires_at: string | null;
  serial_number: string | null;
}

/** The Organization JSON. */
export interface OrganizationWire {
  id: string;
  created_at: string;
  timezone: string;
  is_production_ready: boolean;
  pending_steps: { type: PendingStepType; description: string }[];
  legal: {
    name: string;
    legal_name: string;
    /** Absent from the spec's schema, present in real responses; set from the CSD. */
    tax_id: string | null;
    tax_system: string;
    website: string;
    phone: string;
    address: { street: string; exterior: string; interior: string; neighborhood: string; city: string; municipality: string; state: string; zip: string };
  };
  customization: { has_logo: boolean; color: string; next_folio_number: number; next_folio_number_test: number };
  certificate: CertificateWire;
  fiel: CertificateWire;
  receipts: { periodicity: 'day' | 'week' | 'fortnight' | 'month' | 'two_months'; duration_days: number; next_folio_number: number; next_folio_number_test: number };
  self_invoice: { allowed_cfdi_uses: string[]; apply_resico_isr: boolean; support_email: string; support_email_verified: boolean };
}

/** Facturapi's Spanish descriptions of each pending step. */
export const PENDING_STEP_DESCRIPTIONS: Record<PendingStepType, string> = {
  legal: 'Completa la información fiscal de tu organización',
  logo: 'Sube el logotipo de tu organización',
  certificate: 'Sube los certificados de sello digital (CSD)',
  manifiesto: 'Firma la carta manifiesto',
};

/** A certificate summary with nothing uploaded. */
export function emptyCertificate(): CertificateWire {
  return { has_certificate: false, updated_at: null, expires_at: null, serial_number: null };
}

/** Adds or removes one pending step and recomputes `is_production_ready` accordingly. */
export function withPendingStep(org: OrganizationWire, type: PendingStepType, pending: boolean): OrganizationWire {
  const others = org.pending_steps.filter((step) => step.type !== type);
  const steps = pending ? [...others, { type, description: PENDING_STEP_DESCRIPTIONS[type] }] : others;
  return { ...org, pending_steps: steps, is_production_ready: steps.length === 0 };
}

/** The organization after a successful `PUT /certificate`. */
export function withCertificate(
  org: OrganizationWire,
  cert: { rfc: string; serialNumber: string; expiresAt: Date; updatedAt: Date },
): OrganizationWire {
  const updated: OrganizationWire = {
    ...org,
    legal: { ...org.legal, tax_id: cert.rfc },
    certificate: {
      has_certificate: true,
      updated_at: cert.updatedAt.toISOString(),
      expires_at: cert.expiresAt.toISOString(),
      serial_number: cert.serialNumber,
    },
  };
  return withPendingStep(updated, 'certificate', false);
}

/** The organization after a successful `PUT /fiel`: only the `fiel` summary changes (no RFC, no pending step). */
export function withFiel(org: OrganizationWire, fiel: { serialNumber: string; expiresAt: Date; updatedAt: Date }): OrganizationWire {
  return {
    ...org,
    fiel: { has_certificate: true, updated_at: fiel.updatedAt.toISOString(), expires_at: fiel.expiresAt.toISOString(), serial_number: fiel.serialNumber },
  };
}

/** The organization after `DELETE /certificate`; the RFC stays, as Facturapi keeps legal data. */
export function withoutCertificate(org: OrganizationWire): OrganizationWire {
  return withPendingStep({ ...org, certificate: emptyCertificate() }, 'certificate', true);
}

/** Fields a builder needs; everything else gets realistic defaults. */
export interface OrganizationSeed {
  id: string;
  createdAt: Date;
  name: string;
  legalName: string;
  taxId: string | null;
  certificate: CertificateWire;
  pendingSteps: PendingStepType[];
  taxSystem?: string;
  zip?: string;
}

/** Builds a complete Organization JSON from a seed. */
export function buildOrganizationWire(seed: OrganizationSeed): OrganizationWire {
  return {
    id: seed.id,
    created_at: seed.createdAt.toISOString(),
    timezone: 'America/Mexico_City',
    is_production_ready: seed.pendingSteps.length === 0,
    pending_steps: seed.pendingSteps.map((type) => ({ type, description: PENDING_STEP_DESCRIPTIONS[type] })),
    legal: {
      name: seed.name,
      legal_name: seed.legalName,
      tax_id: seed.taxId,
      tax_system: seed.taxSystem ?? '601',
      website: '',
      phone: '',
      address: { street: '', exterior: '', interior: '', neighborhood: '', city: '', municipality: '', state: '', zip: seed.zip ?? '06600' },
    },
    customization: { has_logo: false, color: '000000', next_folio_number: 1, next_folio_number_test: 1 },
    certificate: seed.certificate,
    fiel: emptyCertificate(),
    receipts: { periodicity: 'month', duration_days: 7, next_folio_number: 1, next_folio_number_test: 1 },
    self_invoice: { allowed_cfdi_uses: [], apply_resico_isr: false, support_email: '', support_email_verified: false },
  };
}
