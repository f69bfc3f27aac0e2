import type { Metadata } from "next";
import { Table, TableHead, When } from "@/components/format";
import { confirmPasswordAction } from "@/app/actions";
import { ActionForm } from "@/components/action-form";
import { requireUser } from "@/lib/auth/request";
import { atLeast } from "@/lib/auth/roles";
import { vaultStatus } from "@/lib/data/vault-status";
import { rotateVaultAction } from "./actions";

export const metadata: Metadata = { title: "Vault" };

export default async function VaultPage() {
  const session = await requireUser();
  const isOwner = atLeast(session.user.role, "owner");
  const versions = await vaultStatus();
  return (
    <section className="space-y-4 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        Exchange secrets are sealed to the vault&apos;s public key the moment you submit them. Only the worker holds the private key, in the vault key file
        (<code>vault.key</code> in the data directory unless <code>KEYWARD_VAULT_KEY_FILE</code> says otherwise). Back that file up separately from the database: losing it loses
        every stored secret. Rotate below or with <code>npm run keyward -- vault rotate</code>.
      </p>
      {versions.length === 0 ? (
        <p>The vault has no key yet: the worker creates it on its first start.</p>
      ) : (
        <Table>
          <TableHead columns={["Version", "Status", "Created", "Keys sealed to it"]} />
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}</td>
                <td>{v.status}</td>
                <td><When at={v.createdAt} /></td>
                <td>{v.sealedKeys}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {isOwner && versions.length > 0 && (
        <ActionForm action={rotateVaultAction} submitLabel="Rotate vault key" reauthAction={confirmPasswordAction} confirm="Rotate the vault key? The worker adds a new key version, rewraps every stored secret and retires the old version. Back up the key file afterwards.">
          <span className="text-sm text-zinc-600 dark:text-zinc-400">New key version, every stored secret rewrapped inside the worker, old version retired.</span>
        </ActionForm>
      )}
    </section>
  );
}
