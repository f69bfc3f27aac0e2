import "server-only";
import { credentialFields, supportedExchanges, type CredentialField } from "../exchange/credential-fields";
import { hasPermissionEndpoint } from "../exchange/scopes";

export interface ExchangeOption {
  id: string;
  name: string;
  fields: CredentialField[];
  /** false: the exchange cannot report a key's permissions; the user declares them */
  reportsScopes: boolean;
}

let cached: ExchangeOption[] | undefined;

/** Every exchange the add-key form offers, with its credential fields (computed once per process, ~1 s). */
export function exchangeOptions(): ExchangeOption[] {
  cached ??= supportedExchanges().flatMap((e) => {
    try {
      return [{ ...e, fields: credentialFields(e.id), reportsScopes: hasPermissionEndpoint(e.id) }];
    } catch {
      return [];
    }
  });
  return cached;
}
