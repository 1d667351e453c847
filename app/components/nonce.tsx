/**
 * The Content-Security-Policy nonce of this HTML response (app/utils/security-headers.server.ts), handed
 * from entry.server.tsx to root.tsx's <Scripts> and <ScrollRestoration>. Empty in the browser, which hides
 * nonces from the page anyway.
 */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
