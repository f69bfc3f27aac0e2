import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { notOnPhones, PhoneLine, Table, TableHead, When } from "@/components/format";
import { listMySessions } from "@/lib/data/list-my-sessions";
import { revokeSessionAction } from "../actions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const sessions = await listMySessions();
  return (
    <section>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Where you are logged in. Sessions end after 30 minutes idle or 12 hours in all.</p>
      <Table>
        <TableHead columns={["Device", "IP", "Signed in", "Last seen", ""]} notOnPhones={["IP", "Signed in", "Last seen"]} />
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td>
                {s.device} {s.current && <span className="ml-1 rounded bg-emerald-100 px-1.5 text-xs text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">this browser</span>}
                <PhoneLine>
                  {s.ip ?? "unknown IP"} · last seen <When at={s.lastSeenAt} />
                </PhoneLine>
              </td>
              <td className={notOnPhones}>{s.ip ?? "unknown"}</td>
              <td className={notOnPhones}><When at={s.createdAt} /></td>
              <td className={notOnPhones}><When at={s.lastSeenAt} /></td>
              <td>
                <ActionForm action={revokeSessionAction} submitLabel="Revoke" danger confirm={s.current ? "Revoke this session? You will be logged out." : "Revoke this session?"}>
                  <input type="hidden" name="id" value={s.id} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
