/** A minimal levelled logger; the level comes from config. */
export interface Logger {
  debug(...a: unknown[]): void;
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

const ORDER = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof ORDER)[number];

export function createLogger(level: LogLevel): Logger {
  const min = ORDER.indexOf(level);
  const at = (l: LogLevel, fn: (...a: unknown[]) => void) => (ORDER.indexOf(l) >= min ? fn : () => {});
  return {
    debug: at('debug', (...a) => console.debug('[debug]', ...a)),
    info: at('info', (...a) => console.log(...a)),
    warn: at('warn', (...a) => console.warn('[warn]', ...a)),
    error: at('error', (...a) => console.error('[error]', ...a)),
  };
}
