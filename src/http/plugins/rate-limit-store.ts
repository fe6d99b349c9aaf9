import type { RateLimitsRepository } from '../../store/repositories/rate-limits.ts';

// A store for @fastify/rate-limit that counts in the database (repositories/rate-limits.ts), so that
// every app process on it counts a visitor's attempts together. The plugin makes one per limited
// route (`child`), each counting under its own route's name.

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
// What the plugin passes to `child`: the route's limit options with the route as `routeInfo` (its
// type declarations say the route itself; both are read).
interface Route {
  method?: string | string[];
  url?: string;
}
interface RouteParams extends Route {
  routeInfo?: Route;
  groupId?: string;
}

/** The store class the plugin instantiates, counting through `rateLimits`. */
export function databaseRateLimitStore(rateLimits: RateLimitsRepository) {
  return class DatabaseRateLimitStore {
    readonly scope: string;
    constructor(params: RouteParams = {}, scope = '') {
      void params;
      this.scope = scope;
    }
    incr(key: string, callback: Callback, timeWindow: number): void {
      rateLimits.hit(`${this.scope} ${key}`, timeWindow).then(
        ({ hits, remainingMs }) => callback(null, { current: hits, ttl: remainingMs }),
        (error: Error) => callback(error),
      );
    }
    child(params: RouteParams): DatabaseRateLimitStore {
      const { method, url } = params.routeInfo ?? params;
      const scope = params.groupId ?? `${[method ?? ''].flat().join(',')} ${url ?? ''}`;
      return new DatabaseRateLimitStore(params, scope);
    }
  };
}
