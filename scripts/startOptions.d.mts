// Types of startOptions.mjs, for its TypeScript tests.
export function parseStartArgs(args: string[], options: { cwd: string; defaultFolder: string; env?: Record<string, string | undefined> }): { folder: string; untrusted: boolean; port: number };
export const SESSION_SETTINGS: Record<string, unknown>;
export function withSessionSettings(existing: string): string;
