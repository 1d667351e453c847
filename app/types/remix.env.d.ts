/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch (a v3 future flag): loader and action types as they arrive in the browser.
import "@remix-run/node";
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
