import { logoutAction } from "@/app/actions";

export function UserMenu({ email, role }: { email: string; role: string }) {
  return (
    <div className="ml-auto flex items-center gap-3 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400" data-testid="whoami">
        {email} · {role}
      </span>
      <form action={logoutAction}>
        <button type="submit" className="rounded-md px-2 py-1 text-zinc-700 underline-offset-2 hover:underline dark:text-zinc-300">
          Log out
        </button>
      </form>
    </div>
  );
}
