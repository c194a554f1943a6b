import { z } from 'zod';

/** One step Facturapi says is missing before the organization can invoice in live mode. */
export interface PendingStep {
  type: string;
  description: string;
}

/** What we know about an organization's CSD, as Facturapi reports it. */
export interface CertificateStatus {
  hasCertificate: boolean;
  updatedAt: Date | null;
  expiresAt: Date | null;
  /** SAT's 20-digit certificate number. */
  serialNumber: string | null;
}

/** A Facturapi organization in our own (camelCase) vocabulary. */
export interface Organization {
  id: string;
  /** Commercial name (`legal.name`). */
  name: string;
  /** Fiscal name without the corporate regime (`legal.legal_name`); '' when Facturapi has none. */
  legalName: string;
  /** RFC (`legal.tax_id`), set by Facturapi from the uploaded CSD. */
  rfc: string | null;
  isProductionReady: boolean;
  pendingSteps: PendingStep[];
  certificate: CertificateStatus;
  /** The e.firma (FIEL), same summary; Facturapi uses it only for bulk CFDI downloads. */
  fiel: CertificateStatus;
  createdAt: Date | null;
}

/** One page of `GET /organizations`. */
export interface OrganizationPage {
  page: number;
  totalPages: number;
  totalResults: number;
  data: Organization[];
}

// Tolerant on purpose: unknown fields are stripped, nulls and absences get defaults, and an
// unparseable date becomes null instead of failing the whole response.
// `.optional()` first: in zod 4 a transformed unknown would otherwise make the key required.
const wireDate = z
  .unknown()
  .optional()
  .transform((value): Date | null => {
    if (typeof value !== 'string' || value === '') return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  });

const optionalString = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === 'string' ? value : null));

const certificateWire = z
  .object({
    has_certificate: z.boolean().nullish(),
    updated_at: wireDate,
    expires_at: wireDate,
    serial_number: optionalString,
  })
  .nullish();

function certificateStatusOf(wire: z.output<typeof certificateWire>): CertificateStatus {
  return {
    hasCertificate: wire?.has_certificate ?? false,
    updatedAt: wire?.updated_at ?? null,
    expiresAt: wire?.expires_at ?? null,
    serialNumber: wire?.serial_number ?? null,
  };
}

const pendingStepWire = z.object({
  type: z.string(),
  description: z.string().nullish(),
});

/** Schema of Facturapi's Organization JSON, transformed into {@link Organization}. */
export const organizationWireSchema = z
  .object({
    id: z.string().min(1),
    created_at: wireDate,
    is_production_ready: z.boolean().nullish(),
    pending_steps: z.array(pendingStepWire).nullish(),
    legal: z
      .object({ name: optionalString, legal_name: optionalString, tax_id: optionalString })
      .nullish(),
    certificate: certificateWire,
    fiel: certificateWire,
  })
  .transform((wire): Organization => ({
    id: wire.id,
    name: wire.legal?.name ?? wire.legal?.legal_name ?? '',
    legalName: wire.legal?.legal_name ?? '',
    rfc: wire.legal?.tax_id || null,
    isProductionReady: wire.is_production_ready ?? false,
    pendingSteps: (wire.pending_steps ?? []).map((step) => ({
      type: step.type,
      description: step.description ?? '',
    })),
    certificate: certificateStatusOf(wire.certificate),
    fiel: certificateStatusOf(wire.fiel),
    createdAt: wire.created_at,
  }));

const count = z.number().int().nonnegative();

/** Schema of Facturapi's search result, transformed into {@link OrganizationPage}. */
export const organizationPageWireSchema = z
  .object({
    page: count.nullish(),
    total_pages: count.nullish(),
    total_results: count.nullish(),
    data: z.array(organizationWireSchema),
  })
  .transform((wire): OrganizationPage => ({
    page: wire.page ?? 1,
    totalPages: wire.total_pages ?? 1,
    totalResults: wire.total_results ?? wire.data.length,
    data: wire.data,
  }));
