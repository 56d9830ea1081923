import type { FastifyBaseLogger } from 'fastify';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A logger for fastify that writes one line per message to stderr. Its child() is itself:
 * fastify asks for a child logger on every request, and pino's cost a measurable share of a
 * fast request (the resolve benchmark). Request ids are not logged; codes name the objects.
 */
export function lineLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
): FastifyBaseLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: LogLevel) =>
    (first: unknown, ...rest: unknown[]): void => {
      if (LOG_LEVELS.indexOf(name) > threshold) return;
      write(`${new Date().toISOString()} ${name.toUpperCase()} ${format(first, rest)}\n`);
    };
  const logger = {
    level,
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => undefined,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}

function format(first: unknown, rest: unknown[]): string {
  const parts: string[] = [];
  let error: unknown;
  if (typeof first === 'object' && first !== null && !(first instanceof Error)) {
    error = (first as { err?: unknown }).err;
  } else if (first instanceof Error) {
    error = first;
  } else {
    parts.push(String(first));
  }
  parts.push(...rest.map(String));
  if (error instanceof Error) parts.push(error.stack ?? error.message);
  return parts.join(' ');
}
