/**
 * Spanish catalogue: the source of truth for message keys. Every user-facing string lives here
 * and in en.ts. Placeholders are written {name}. Certificate messages say what happened and what
 * to do, because the people reading them renew a CSD once every four years.
 */
export const es = {
  'app.name': 'csd-relay',
  'app.tagline': 'Carga de CSD a Facturapi',
  'layout.skipToContent': 'Saltar al contenido',
  'layout.emulatorBanner': 'Modo de demostración: se usa un emulador local de Facturapi. Nada se envía a Facturapi.',
  'layout.language': 'Idioma',
  'layout.footer': 'Los archivos y la contraseña se verifican aquí y se envían a Facturapi; nunca se guardan.',
  'nav.organizations': 'Organizaciones',
  'nav.radar': 'Vencimientos',
  'nav.audit': 'Bitácora',
  'nav.people': 'Personas',
  'nav.logout': 'Cerrar sesión',
  'nav.signedInAs': 'Sesión de {name} ({role})',
  'role.support': 'Soporte',
  'role.account_admin': 'Administrador de cuenta',

  'orgs.title': 'Organizaciones',
  'orgs.search': 'Buscar por nombre, razón social o RFC',
  'orgs.searchButton': 'Buscar',
  'orgs.empty': 'No se encontraron organizaciones.',
  'orgs.col.name': 'Organización',
  'orgs.col.rfc': 'RFC',
  'orgs.col.certificate': 'Certificado (CSD)',
  'orgs.col.action': 'Acción',
  'orgs.open': 'Abrir',
  'orgs.pageOf': 'Página {page} de {pages} ({total} resultados)',
  'orgs.previous': 'Anterior',
  'orgs.next': 'Siguiente',

  'badge.missing': 'Sin CSD',
  'badge.valid': 'Vigente',
  'badge.expiresIn': 'Vence en {days} días',
  'badge.expiresToday': 'Vence hoy',
  'badge.expired': 'Vencido',

  'org.title': '{name}',
  'org.status': 'Estado del certificado',
  'org.legalName': 'Razón social',
  'org.rfc': 'RFC',
  'org.certificateNumber': 'Número de certificado',
  'org.validUntil': 'Vigente hasta',
  'org.daysLeft': '({days} días)',
  'org.updatedAt': 'Última actualización',
  'org.noCertificate': 'Esta organización todavía no tiene un CSD en Facturapi.',
  'org.pendingSteps': 'Pasos pendientes en Facturapi',
  'org.noPendingSteps': 'Ninguno: la organización está lista para facturar.',
  'org.step.legal': 'Completar los datos fiscales (razón social, régimen, domicilio).',
  'org.step.logo': 'Subir el logotipo.',
  'org.step.certificate': 'Subir el CSD (certificado de sello digital).',
  'org.step.manifiesto': 'Firmar el manifiesto con la e.firma.',
  'org.notAvailable': '—',
  'org.back': 'Volver a organizaciones',

  'upload.title': 'Subir CSD',
  'upload.intro':
    'El CSD (Certificado de Sello Digital) son dos archivos, .cer y .key, y la contraseña que elegiste al tramitarlo con Certifica del SAT. No es tu e.firma (FIEL), aunque también tenga .cer y .key.',
  'upload.cer': 'Certificado (.cer)',
  'upload.key': 'Llave privada (.key)',
  'upload.password': 'Contraseña de la llave privada',
  'upload.passwordHint': 'Es la contraseña del CSD, no la de tu portal del SAT. Se distinguen mayúsculas y minúsculas.',
  'upload.submit': 'Verificar y enviar a Facturapi',
  'upload.sending': 'Enviando…',
  'upload.fixBelow': 'No se envió nada a Facturapi. Corrige lo siguiente y vuelve a intentarlo:',
  'upload.passwordCleared': 'Por seguridad, vuelve a escribir la contraseña y a elegir los archivos.',
  'upload.success': 'Listo: Facturapi aceptó el certificado {number}.',
  'upload.result.rfc': 'RFC',
  'upload.result.legalName': 'Razón social',
  'upload.result.number': 'Número de certificado',
  'upload.result.validFrom': 'Vigente desde',
  'upload.result.validTo': 'Vigente hasta',
  'upload.rejectedByFacturapi': 'Facturapi rechazó el certificado.',
  'upload.facturapiLogId': 'Referencia de Facturapi: {logId}',

  'field.required': 'Este campo es obligatorio.',
  'field.cer.required': 'Elige el archivo .cer del CSD.',
  'field.key.required': 'Elige el archivo .key del CSD.',
  'field.cer.extension': 'El certificado debe ser un archivo .cer (o .pem).',
  'field.key.extension': 'La llave privada debe ser un archivo .key (o .pem).',
  'field.file.empty': 'El archivo está vacío. Elige el archivo original que te dio el SAT.',
  'field.file.tooLarge': 'El archivo es demasiado grande ({max} KB como máximo). Un CSD pesa alrededor de 2 KB.',
  'field.password.required': 'Escribe la contraseña de la llave privada.',
  'field.password.tooLong': 'La contraseña es demasiado larga ({max} caracteres como máximo).',
  'field.unexpected': 'El formulario trae un campo inesperado ({field}). Recarga la página y vuelve a intentarlo.',
  'field.tooManyFiles': 'Envía solo dos archivos: el .cer y el .key.',
  'field.malformed': 'El formulario llegó incompleto o dañado. Recarga la página y vuelve a intentarlo.',

  'problem.certificate_file_required': 'Falta el certificado (.cer).',
  'problem.private_key_file_required': 'Falta la llave privada (.key).',
  'problem.password_required': 'Falta la contraseña de la llave privada.',
  'problem.certificate_files_invalid':
    'El archivo no es un certificado o una llave del SAT válidos, o está incompleto o dañado. Descarga de nuevo los archivos originales de tu CSD.',
  'problem.certificate_files_invalid.cer':
    'Este archivo no es un certificado (.cer) válido, o está incompleto o dañado. Usa el .cer original de tu CSD.',
  'problem.certificate_files_invalid.key':
    'Este archivo no es una llave privada (.key) válida, o está incompleta o dañada. Usa el .key original de tu CSD.',
  'problem.certificate_invalid': 'El certificado no tiene el formato de un CSD del SAT (RFC o número de certificado inválidos).',
  'problem.private_key_unencrypted':
    'La llave privada no está protegida con contraseña, así que no es el archivo original del SAT. Usa el .key que descargaste con Certifica.',
  'problem.private_key_encryption_unsupported':
    'La llave privada está en un formato convertido que no se puede enviar. Usa el archivo .key original que te dio el SAT.',
  'problem.private_key_password_incorrect':
    'La contraseña no abre la llave privada. Es la contraseña que elegiste al tramitar el CSD con Certifica (no la del portal del SAT ni necesariamente la de tu e.firma). Revisa mayúsculas y minúsculas.',
  'problem.private_key_certificate_mismatch':
    'La llave privada (.key) no corresponde a este certificado (.cer). Asegúrate de que ambos archivos sean del mismo CSD (la misma solicitud en Certifica).',
  'problem.csd_required':
    'Este certificado es tu e.firma (FIEL), no un CSD. Facturapi necesita el Certificado de Sello Digital, que tramitas con Certifica del SAT usando tu e.firma.',
  'problem.certificate_type_ambiguous':
    'No se pudo confirmar que el certificado sea un CSD. Tramita o descarga de nuevo tu CSD con Certifica del SAT.',
  'problem.certificate_expired': 'El certificado venció el {validTo}. Tramita un CSD nuevo con Certifica del SAT.',
  'problem.certificate_not_yet_valid': 'El certificado será válido a partir del {validFrom}. Espera a esa fecha para subirlo.',

  'facturapi.private_key_password_incorrect': 'Facturapi indica que la contraseña de la llave privada es incorrecta.',
  'facturapi.private_key_certificate_mismatch': 'Facturapi indica que la llave privada no corresponde al certificado.',
  'facturapi.csd_required': 'Facturapi indica que el certificado no es un CSD: asegúrate de no enviar tu e.firma (FIEL).',
  'facturapi.certificate_expired': 'Facturapi indica que el certificado ya venció. Tramita un CSD nuevo.',
  'facturapi.certificate_not_yet_valid': 'Facturapi indica que el certificado todavía no puede usarse. Espera a su fecha de inicio.',
  'facturapi.certificate_invalid': 'Facturapi indica que el certificado no es válido. Descarga de nuevo tu CSD.',
  'facturapi.certificate_files_invalid': 'Facturapi indica que el certificado o la llave están dañados o incompletos.',
  'facturapi.certificate_files_required': 'Facturapi no recibió los archivos. Vuelve a intentarlo.',
  'facturapi.certificate_file_required': 'Facturapi no recibió el certificado (.cer). Vuelve a intentarlo.',
  'facturapi.private_key_file_required': 'Facturapi no recibió la llave privada (.key). Vuelve a intentarlo.',
  'facturapi.certificate_previous_rfc_mismatch':
    'El RFC de este certificado no coincide con el del certificado anterior de la organización. Un CSD solo puede reemplazarse por otro del mismo RFC.',
  'facturapi.certificate_fiel_rfc_mismatch': 'El RFC del certificado no coincide con el RFC de la e.firma registrada.',
  'facturapi.invalid_multipart_form_data': 'Facturapi no pudo leer el envío. Vuelve a intentarlo.',
  'facturapi.multipart_limit_exceeded': 'Facturapi rechazó el envío por su tamaño.',
  'facturapi.payload_too_large': 'Facturapi rechazó el envío por su tamaño.',
  'facturapi.organization_not_found': 'Facturapi no encuentra esta organización.',
  'facturapi.unknown': 'Facturapi rechazó la solicitud: «{message}».',
  'facturapi.unauthorized':
    'Este servicio no pudo autenticarse con Facturapi. No es un problema de tus archivos: avisa a soporte.',
  'facturapi.unavailable': 'Facturapi no respondió a tiempo o no está disponible. No se cambió nada; vuelve a intentarlo en unos minutos.',
  'facturapi.rateLimited': 'Facturapi está recibiendo demasiadas solicitudes. Espera un minuto y vuelve a intentarlo.',

  'warning.expires_soon': 'Atención: este certificado vence en {days} días ({validTo}). Tramita el siguiente con tiempo.',
  'warning.sat_test_certificate': 'Atención: es un certificado de pruebas del SAT; no sirve para facturar en producción.',
  'warning.rfc_differs':
    'Atención: el RFC del certificado ({certificateRfc}) es distinto del RFC actual de la organización ({organizationRfc}).',
  'warning.rfc_differs_replace':
    'Atención: el RFC del certificado ({certificateRfc}) es distinto del del certificado actual ({organizationRfc}); Facturapi rechazará el cambio.',
  'warning.new_csd_delay': 'Un CSD recién tramitado puede tardar de 24 a 72 horas en funcionar para timbrar.',

  'error.title': 'Algo salió mal',
  'error.badRequest': 'La solicitud no es válida.',
  'error.notFound': 'No encontramos esa página.',
  'error.organizationNotFound': 'No encontramos esa organización.',
  'error.forbidden': 'No tienes permiso para ver esta página.',
  'error.payloadTooLarge': 'El envío es demasiado grande. Un CSD pesa alrededor de 2 KB; elige los archivos .cer y .key correctos.',
  'error.tooManyRequests': 'Demasiados intentos. Vuelve a intentarlo en {minutes} minutos.',
  'error.internal': 'Ocurrió un error inesperado. Ya quedó registrado.',
  'error.reference': 'Referencia: {id}',
  'error.back': 'Volver al inicio',
  'error.csrf': 'El formulario expiró o no es válido. Recarga la página y vuelve a enviarlo.',
} as const;

export type MessageKey = keyof typeof es;
