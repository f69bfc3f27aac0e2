"use client";

import { useState } from "react";
import { Field } from "@/components/action-form";

/** Permissions for a minted demo key; typing the label is required to accept withdraw. */
export function DemoKeyFields() {
  const [withdraw, setWithdraw] = useState(false);
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
          <input type="checkbox" name="ipRestrict" defaultChecked /> IP-restricted
        </label>
      </fieldset>
      {withdraw && <Field name="acceptWithdrawRisk" label="Type the label to accept the withdraw risk" autoComplete="off" />}
    </>
  );
}
