/** Dates as the server rendered them, in UTC, so server and client agree. */
export function When({ at }: { at: Date | null }) {
  if (!at) return <span className="text-zinc-500">—</span>;
  const iso = at.toISOString();
  return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
}

export const table = "w-full border-collapse text-left text-sm [&_td]:border-t [&_td]:border-zinc-200 [&_td]:py-2 [&_td]:pr-4 dark:[&_td]:border-zinc-800 [&_th]:pb-2 [&_th]:pr-4 [&_th]:font-medium [&_th]:text-zinc-500";

/** A table's header row; an empty string makes an unlabelled column (e.g. for buttons). */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={`${c}-${i}`}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}
