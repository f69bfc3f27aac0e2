import { Money } from "@/lib/money";

export { When } from "./when";

/**
 * A decimal string with as many decimals as the market's step ("0.01" → 2),
 * rounded half-up; unchanged when the step is unknown. Display only.
 */
export function fmtStep(value: string | null | undefined, step: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  if (!step) return value;
  return new Money(value).toFixed(new Money(step).decimalPlaces(), Money.ROUND_HALF_UP);
}

/** A decimal string with at most `max` decimals and no trailing zeros (amounts in a quote currency, PnL). */
export function fmtDecimal(value: string | null | undefined, max = 2): string {
  if (value === null || value === undefined || value === "") return "—";
  return new Money(value).toDecimalPlaces(max, Money.ROUND_HALF_UP).toFixed();
}

export const table = "w-full border-collapse text-left text-sm [&_td]:border-t [&_td]:border-zinc-200 [&_td]:py-2 [&_td]:pr-4 dark:[&_td]:border-zinc-800 [&_th]:pb-2 [&_th]:pr-4 [&_th]:font-medium [&_th]:text-zinc-500";

/** A data table that scrolls sideways inside its own box on a narrow screen, never the page. */
export function Table({ children, ...props }: React.ComponentProps<"table">) {
  return (
    <div className="max-w-full overflow-x-auto">
      <table className={table} {...props}>
        {children}
      </table>
    </div>
  );
}

/** A column left out on a phone's width (its cells take the same class), so the ones that matter fit without scrolling sideways. */
export const notOnPhones = "hidden sm:table-cell";
/** A phone's column: what the columns left out there say, in one cell. */
export const onlyOnPhones = "sm:hidden";

/** Under a row's first cell on a phone: what the columns left out there say, in small print. */
export function PhoneLine({ children }: { children: React.ReactNode }) {
  return <span className="block text-xs text-zinc-500 sm:hidden">{children}</span>;
}

export const sideTone = (side: string) => (side === "buy" ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400");

/** A phone's cell for an order or a fill: "buy 12 at 1.25" over the rest in small print. */
export function PhoneRow({ side, amount, price, children }: { side: string; amount: string; price: string; children: React.ReactNode }) {
  return (
    <td className={onlyOnPhones}>
      <span className={sideTone(side)}>{side}</span> {amount} at {price}
      <PhoneLine>{children}</PhoneLine>
    </td>
  );
}

/**
 * A table's header row; an empty string makes an unlabelled column (e.g. for buttons). With
 * `phoneColumn`, a phone sees that one column first (its rows' PhoneRow) and the unlabelled ones.
 */
export function TableHead({ columns, notOnPhones: hidden = [], phoneColumn }: { columns: string[]; notOnPhones?: string[]; phoneColumn?: string }) {
  return (
    <thead>
      <tr>
        {phoneColumn && <th className={onlyOnPhones}>{phoneColumn}</th>}
        {columns.map((c, i) => (
          <th key={`${c}-${i}`} className={hidden.includes(c) || (phoneColumn && c) ? notOnPhones : undefined}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
