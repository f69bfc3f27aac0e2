"use client";

/** Asks for fresh authentication before showing controls that change sign-in factors. */
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { confirmPasswordAction } from "@/app/actions";
import { ReauthForm } from "../action-form";

export function ReauthGate() {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  return (
    <div data-testid="reauth-gate">
      <p className="text-sm">To add or remove sign-in factors, confirm it is you (valid for 5 minutes).</p>
      <ReauthForm action={confirmPasswordAction} onConfirmed={refresh} />
    </div>
  );
}
