/**
 * The body parser of every small urlencoded form (login, logout, set-password, people, radar
 * refresh, certificate removal): a few short fields, so tight limits; the upload form is
 * multipart and has its own parser.
 */
import express from 'express';

export const formBody = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
