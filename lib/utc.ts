/** A moment as people read it in messages and on server-rendered pages: "2026-12-05 21:16 UTC". */
export function utcMinute(at: Date | number | string): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
