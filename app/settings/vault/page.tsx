import type { Metadata } from "next";
import { table, TableHead, When } from "@/components/format";
import { vaultStatus } from "@/lib/data/vault-status";

export const metadata: Metadata = { title: "Vault" };

export default async function VaultPage() {
  const versions = await vaultStatus();
  return (
    <section className="space-y-4 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        Exchange secrets are sealed to the vault&apos;s public key the moment you submit them. Only the worker holds the private key, in the vault key file
        (<code>vault.key</code> in the data directory unless <code>KEYWARD_VAULT_KEY_FILE</code> says otherwise). Back that file up separately from the database: losing it loses
        every stored secret. Rotate with <code>npm run keyward -- vault rotate</code>.
      </p>
      {versions.length === 0 ? (
        <p>The vault has no key yet: the worker creates it on its first start.</p>
      ) : (
        <table className={table}>
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
        </table>
      )}
    </section>
  );
}
