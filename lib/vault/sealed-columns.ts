/** Every column that holds a sealed blob. Rotation rewraps exactly these. */
export const sealedColumns = {
  ExchangeKey: ["apiKeySealed", "secretSealed", "passwordSealed"],
  AlertChannel: ["secretSealed"],
} as const;

export type SealedTable = keyof typeof sealedColumns;
