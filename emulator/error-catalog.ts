import type { Response } from 'express';

/** Where Facturapi says the offending data was. */
export type ErrorLocation = 'body' | 'query' | 'params' | 'headers' | 'files';

interface CatalogEntry {
  status: number;
  message: string;
  location?: ErrorLocation;
  path?: string;
}

/** Every error the emulator produces, with Facturapi's status and (Spanish) message. */
export const ERROR_CATALOG = {
  missing_credentials: { status: 401, message: 'No se encontró la llave de API. Envíala en el encabezado Authorization como Bearer.', location: 'headers', path: 'authorization' },
  user_key_invalid: { status: 401, message: 'La llave de usuario no es válida.', location: 'headers', path: 'authorization' },
  api_key_invalid: { status: 401, message: 'La llave de API no es válida.', location: 'headers', path: 'authorization' },
  unauthorized: { status: 401, message: 'No autenticado. Revisa el encabezado Authorization.', location: 'headers', path: 'authorization' },
  organization_not_found: { status: 404, message: 'No se encontró la organización.', location: 'params', path: 'organization_id' },
  not_found: { status: 404, message: 'No se encontró el recurso solicitado.' },
  invalid_page: { status: 400, message: 'El parámetro page debe ser un número entero entre 1 y 30.', location: 'query', path: 'page' },
  invalid_limit: { status: 400, message: 'El parámetro limit debe ser un número entero entre 1 y 100.', location: 'query', path: 'limit' },
  certificate_files_required: { status: 400, message: 'No pudimos encontrar ningún archivo en tu petición.', location: 'files' },
  certificate_file_required: { status: 400, message: 'Falta el archivo del certificado (.cer).', location: 'files', path: 'cer' },
  private_key_file_required: { status: 400, message: 'Falta el archivo de la llave privada (.key).', location: 'files', path: 'key' },
  password_required: { status: 400, message: 'Falta la contraseña de la llave privada.', location: 'body', path: 'password' },
  invalid_multipart_form_data: { status: 400, message: 'El cuerpo de la petición no es un multipart/form-data válido.', location: 'body' },
  multipart_limit_exceeded: { status: 400, message: 'La petición tiene más partes de las permitidas.', location: 'body' },
  payload_too_large: { status: 413, message: 'Los archivos exceden el tamaño máximo permitido.', location: 'files' },
  certificate_files_invalid: { status: 400, message: 'El certificado o la llave privada no son válidos, están incompletos o están dañados.', location: 'files' },
  certificate_invalid: { status: 400, message: 'El certificado no es válido.', location: 'files', path: 'cer' },
  private_key_password_incorrect: { status: 400, message: 'La contraseña de la llave privada es incorrecta.', location: 'body', path: 'password' },
  private_key_certificate_mismatch: { status: 400, message: 'La llave privada no coincide con el certificado.', location: 'files' },
  csd_required: { status: 400, message: 'El certificado no es un CSD. Asegúrate de no estar enviando una FIEL.', location: 'files', path: 'cer' },
  certificate_expired: { status: 400, message: 'El certificado ha expirado.', location: 'files', path: 'cer' },
  certificate_not_yet_valid: { status: 400, message: 'El certificado aún no puede ser utilizado.', location: 'files', path: 'cer' },
  fiel_required: { status: 400, message: 'El certificado no es una e.firma (FIEL). Asegúrate de no estar enviando un CSD.', location: 'files', path: 'cer' },
  // Facturapi's documented code for a CSD and an e.firma of different RFCs (../shared/docs/facturapi.md), answered by PUT /fiel too.
  certificate_fiel_rfc_mismatch: { status: 400, message: 'El RFC del certificado no coincide con el RFC de la FIEL.', location: 'files', path: 'cer' },
  certificate_previous_rfc_mismatch: { status: 400, message: 'El RFC del certificado no coincide con el certificado anterior.', location: 'files', path: 'cer' },
  rate_limit_exceeded: { status: 429, message: 'Se excedió el límite de solicitudes.' },
  internal_error: { status: 500, message: 'Ocurrió un error inesperado. Intenta de nuevo más tarde.' },
} satisfies Record<string, CatalogEntry>;

/** A code the emulator can answer with. */
export type EmulatorErrorCode = keyof typeof ERROR_CATALOG;

/** The JSON body Facturapi sends for an error. */
export function errorBody(code: EmulatorErrorCode, status?: number) {
  const entry: CatalogEntry = ERROR_CATALOG[code];
  return {
    ok: false as const,
    message: entry.message,
    status: status ?? entry.status,
    code,
    ...(entry.location ? { location: entry.location } : {}),
    ...(entry.path ? { path: entry.path } : {}),
  };
}

/** Sends a Facturapi-shaped error. */
export function sendError(res: Response, code: EmulatorErrorCode, status?: number): void {
  const body = errorBody(code, status);
  res.status(body.status).json(body);
}
