import { pendingMigrations, type Database } from '../store/database.ts';
import type { Repositories } from '../store/repositories/index.ts';

/** Whether the site can serve: the database answers and has run every migration this code knows. */
export type Readiness =
  | { ready: true }
  | { ready: false; check: 'database'; code: 'database_unreachable'; message: string }
  | { ready: false; check: 'migrations'; code: 'migrations_pending'; message: string; pending: string[] };

/** How long a readiness check waits for the database before calling it unreachable. */
const READINESS_TIMEOUT_MS = 3000;

/** What an operator's probes and scrapes read: readiness, the job queue, the database pool. */
export function operationsService(database: Database, repositories: Repositories) {
  return {
    async readiness(): Promise<Readiness> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS / 1000} s`)),
          READINESS_TIMEOUT_MS,
        );
        timer.unref();
      });
      let pending: string[];
      try {
        pending = await Promise.race([pendingMigrations(database.db), timeout]);
      } catch (error) {
        return {
          ready: false,
          check: 'database',
          code: 'database_unreachable',
          message: `The database did not answer: ${(error as Error).message}`,
        };
      } finally {
        clearTimeout(timer);
      }
      if (pending.length === 0) return { ready: true };
      return {
        ready: false,
        check: 'migrations',
        code: 'migrations_pending',
        message: `The database has not run ${pending.length === 1 ? 'a migration' : `${pending.length} migrations`} (run storyhub migrate)`,
        pending,
      };
    },
    /** Per job kind: waiting (due), the oldest one's wait in seconds, running. */
    jobQueue: () => repositories.jobs.queueByKind(),
    /** The database engine and its connection pool now. */
    databasePool: () => ({ engine: database.engine, ...database.poolUse() }),
  };
}
export type OperationsService = ReturnType<typeof operationsService>;
