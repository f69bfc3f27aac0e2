import type { Metadata } from "next";
import { ActionForm, Field, Select } from "@/components/action-form";
import { notOnPhones, PhoneLine, Table, TableHead, When } from "@/components/format";
import { confirmPasswordAction } from "@/app/actions";
import { roles } from "@/lib/auth/roles";
import { listUsersForOwner } from "@/lib/data/list-users";
import { changeRoleAction, createUserAction, setDisabledAction } from "../actions";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const users = await listUsersForOwner();
  return (
    <section className="space-y-6">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        <b>owner</b>: everything. <b>operator</b>: start and stop bots; no key or user changes. <b>viewer</b>: read only. Changes here ask for your password again.
      </p>
      <ActionForm action={createUserAction} submitLabel="Add user" reauthAction={confirmPasswordAction}>
        <Field name="email" label="Email" type="email" required />
        <Select name="role" label="Role" options={roles} defaultValue="viewer" />
        <Field name="password" label="Initial password" type="password" autoComplete="new-password" required hint="At least 12 characters; share it safely." />
      </ActionForm>
      <Table>
        <TableHead columns={["Email", "Role", "Added", "Status", ""]} notOnPhones={["Role", "Added", "Status"]} />
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <td>
                <span className="wrap-anywhere">{u.email}</span>
                {/* a role is changed from a wider screen; disabling someone is what may not wait */}
                <PhoneLine>
                  {u.role} · {u.disabled ? "disabled" : "active"}
                </PhoneLine>
              </td>
              <td className={notOnPhones}>
                <ActionForm action={changeRoleAction} submitLabel="Set role" reauthAction={confirmPasswordAction}>
                  <input type="hidden" name="id" value={u.id} />
                  <Select name="role" label="" options={roles} defaultValue={u.role} />
                </ActionForm>
              </td>
              <td className={notOnPhones}><When at={u.createdAt} /></td>
              <td className={notOnPhones}>{u.disabled ? "disabled" : "active"}</td>
              <td>
                <ActionForm action={setDisabledAction} submitLabel={u.disabled ? "Enable" : "Disable"} danger={!u.disabled} reauthAction={confirmPasswordAction} confirm={u.disabled ? undefined : `Disable ${u.email}? They are logged out at once.`}>
                  <input type="hidden" name="id" value={u.id} />
                  <input type="hidden" name="disabled" value={u.disabled ? "false" : "true"} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
