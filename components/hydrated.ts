"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the page, then true.
 * Forms handled in the browser (onSubmit) keep their submit disabled until
 * then: submitted earlier, the browser would send them itself, as a GET whose
 * URL — history, logs, Referer — would carry what was typed (a password, an
 * API secret). They are method="post" as well, should one go out anyway.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
