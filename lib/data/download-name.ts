/** A user-given name as part of a download's file name: letters, digits, `.`, `_` and `-` only (anything else one `-`), at most 60 characters. */
export function downloadName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60);
}
