import "server-only";
import { credentialFields, supportedExchanges, type CredentialField } from "../exchange/credential-fields";

export interface ExchangeOption {
  id: string;
  name: string;
  fields: CredentialField[];
}

let cached: ExchangeOption[] | undefined;

/** Every exchange the add-key form offers, with its credential fields (computed once per process, ~1 s). */
export function exchangeOptions(): ExchangeOption[] {
  cached ??= supportedExchanges().flatMap((e) => {
    try {
      return [{ ...e, fields: credentialFields(e.id) }];
    } catch {
      return [];
    }
  });
  return cached;
}
