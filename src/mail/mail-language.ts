/** Languages an e-mail can be written in; Spanish unless the person chose English. */
export const MAIL_LANGUAGES = ['es', 'en'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];
export const DEFAULT_MAIL_LANGUAGE: MailLanguage = 'es';

/** A stored or submitted value as a language; anything else is Spanish. */
export function mailLanguageOf(value: unknown): MailLanguage {
  return value === 'en' ? 'en' : DEFAULT_MAIL_LANGUAGE;
}
