import FormData from 'form-data';

/** The three things Facturapi needs to install a CSD. */
export interface CertificateUpload {
  cer: Buffer;
  key: Buffer;
  password: string;
}

/**
 * Builds the multipart body of `PUT /organizations/{id}/certificate`.
 * File names are fixed plain ASCII: users' names (spaces, accents, quotes) get mangled by
 * encoders and Facturapi ignores them anyway. The password goes as-is, never trimmed.
 * form-data writes the boundary and axios the Content-Length; we set neither by hand.
 */
export function buildCertificateForm(upload: CertificateUpload): FormData {
  const form = new FormData();
  form.append('cer', upload.cer, { filename: 'certificate.cer', contentType: 'application/octet-stream' });
  form.append('key', upload.key, { filename: 'private.key', contentType: 'application/octet-stream' });
  form.append('password', upload.password);
  return form;
}

