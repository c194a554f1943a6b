/**
 * The standalone emulator's settings (`npm run emulator`): flags first, then its own environment
 * variables, then defaults. The emulator reads its environment here and nowhere else; the app's
 * src/config.ts never sees these keys, and the app's demo mode passes its settings as options.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Settings of the standalone emulator. */
export interface EmulatorCliConfig {
  /** `--port` / `FACTURAPI_EMULATOR_PORT`, default 3001 (0 = any free port). */
  port: number;
  /** `--host` / `FACTURAPI_EMULATOR_HOST`, default 127.0.0.1; loopback only (startEmulator refuses others). */
  host: string;
  /** `--key` / `FACTURAPI_EMULATOR_KEY`, default `sk_user_emulator`: the user key it accepts. */
  key: string;
  /** `--generated`: extra generated organizations (e.g. 3000 for the bench), default 0. */
  generated: number;
}

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  key: z.string().min(1),
  generated: z.coerce.number().int().min(0).max(17_576),
});

/** Thrown with every problem listed, one per line. */
export class EmulatorConfigError extends Error {}

/** Reads flags and environment; throws EmulatorConfigError listing every problem at once. */
export function readEmulatorCliConfig(argv: string[], env: NodeJS.ProcessEnv): EmulatorCliConfig {
  let values: Partial<Record<'port' | 'host' | 'key' | 'generated', string>>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, key: { type: 'string' }, generated: { type: 'string' } },
    }));
  } catch (error) {
    throw new EmulatorConfigError(`Invalid emulator flags: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse({
    port: values.port ?? env.FACTURAPI_EMULATOR_PORT ?? '3001',
    host: values.host ?? env.FACTURAPI_EMULATOR_HOST ?? '127.0.0.1',
    key: values.key ?? env.FACTURAPI_EMULATOR_KEY ?? 'sk_user_emulator',
    generated: values.generated ?? '0',
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new EmulatorConfigError(`Invalid emulator settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
