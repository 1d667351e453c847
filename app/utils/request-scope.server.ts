/**
 * One HTTP request's scope: a place for what several loaders of the same page would otherwise each look
 * up (the root's and the route's loaders run side by side on copies of one Request, so the Request itself
 * cannot be the key). Only a request that reads (GET, HEAD) remembers anything: an action may change what
 * it read before, and the loaders Remix runs after it in the same request must see the change. The
 * server script runs each request in a scope; outside one (tests calling a loader directly, scripts)
 * nothing is remembered.
 * Kept on globalThis, like the database client, so that the server script and the Remix build share it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

type Scope = Map<string, unknown> | null;

declare global {
  var __subsidyPortalRequestScope: AsyncLocalStorage<Scope> | undefined;
}

function storage(): AsyncLocalStorage<Scope> {
  globalThis.__subsidyPortalRequestScope ??= new AsyncLocalStorage<Scope>();
  return globalThis.__subsidyPortalRequestScope;
}

/** Runs `handle` (one HTTP request with this method) in a fresh scope. */
export function inRequestScope<T>(method: string, handle: () => T): T {
  return storage().run(method === "GET" || method === "HEAD" ? new Map() : null, handle);
}

/**
 * The value under `key` in this request's scope, made by `make` the first time it is asked for; made
 * anew on each call outside a reading request's scope.
 */
export function oncePerRequest<T>(key: string, make: () => T): T {
  const scope = storage().getStore();
  if (!scope) return make();
  if (!scope.has(key)) scope.set(key, make());
  return scope.get(key) as T;
}
