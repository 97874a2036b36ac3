import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A running embedded database: a PGlite child process reachable at `url`. */
export interface EmbeddedDatabase {
  url: string;
  pid: number;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
  ) {
    super(`The PGlite data folder is in use by process ${holderPid} (lock file ${lockFile}).`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock file, or throws when a live process holds it; a stale lock is taken over. */
function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder))
        throw new DataDirLockedError(lockFile, holder);
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not take lock ${lockFile}`);
}

const hostScript = fileURLToPath(new URL('./pglite-host.ts', import.meta.url));
// The host is TypeScript too; load it through tsx, found from here so any working directory will do.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Starts PGlite on `<dataDir>/pglite` in a child process, holding `<dataDir>/pglite.lock` while it runs. */
export async function startEmbedded(
  dataDir: string,
  opts: { startTimeoutMs?: number } = {},
): Promise<EmbeddedDatabase> {
  const pgDir = join(dataDir, 'pglite');
  mkdirSync(pgDir, { recursive: true });
  const lockFile = join(dataDir, 'pglite.lock');
  acquireLock(lockFile);
  let child: ChildProcess;
  try {
    child = fork(hostScript, [pgDir], {
      execArgv: ['--import', tsxLoader],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  } catch (err) {
    rmSync(lockFile, { force: true });
    throw err;
  }
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('PGlite did not start in time'));
    }, opts.startTimeoutMs ?? 120_000);
    child.once('message', (msg: { type?: string; port?: number }) => {
      clearTimeout(timer);
      if (msg.type === 'ready' && typeof msg.port === 'number') resolve(msg.port);
      else reject(new Error('unexpected message from PGlite host'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PGlite host exited with code ${code} before it was ready`));
    });
  }).catch((err: unknown) => {
    rmSync(lockFile, { force: true });
    throw err;
  });

  let closed: Promise<void> | null = null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: child.pid ?? 0,
    close() {
      closed ??= new Promise<void>((resolve) => {
        const done = () => {
          rmSync(lockFile, { force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        if (child.connected) child.send('close');
        else child.kill('SIGTERM');
      });
      return closed;
    },
  };
}
