/**
 * Environment variables for part of a test. The suite runs several files in one process
 * (vitest.config.ts: forks, isolate false), so a variable one file sets must be put back as it
 * was, never just deleted: another file may rely on its own value.
 */
export type EnvVars = Record<string, string | undefined>;

/** Sets `vars` (undefined unsets); the returned function puts the previous values back. */
export function setEnv(vars: EnvVars): () => void {
  const before: EnvVars = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  apply(vars);
  return () => apply(before);
}

/** Runs `work` with `vars` set, then puts the previous values back. */
export async function withEnv<T>(vars: EnvVars, work: () => Promise<T>): Promise<T> {
  const restore = setEnv(vars);
  try {
    return await work();
  } finally {
    restore();
  }
}

function apply(vars: EnvVars): void {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
