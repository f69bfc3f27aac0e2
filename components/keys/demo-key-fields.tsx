"use client";

import { useState } from "react";
import { Field } from "@/components/action-form";

/** Permissions for a minted demo key; typing the label is required to accept withdraw or transfer. */
export function DemoKeyFields() {
  const [withdraw, setWithdraw] = useState(false);
  const [transfer, setTransfer] = useState(false);
  return (
    <>
      <Field name="label" label="Label" required defaultValue="demo key" />
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className="sr-only">Permissions</legend>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="read" defaultChecked /> read
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="trade" defaultChecked /> trade
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="withdraw" checked={withdraw} onChange={(e) => setWithdraw(e.target.checked)} /> withdraw
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="transfer" checked={transfer} onChange={(e) => setTransfer(e.target.checked)} /> transfer
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" name="ipRestrict" defaultChecked /> IP-restricted
        </label>
      </fieldset>
      {(withdraw || transfer) && <Field name="acceptWithdrawRisk" label={`Type the label to accept the ${withdraw ? "withdraw" : "transfer"} risk`} autoComplete="off" />}
    </>
  );
}
