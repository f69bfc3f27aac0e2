-- Masked key ids now show the first and last 4 characters ("vmPU…7tQx"). Keys stored before kept only
-- the last 4, so they are shown as "…7tQx" (the first 4 are sealed with the key and not read back).
-- (No semicolon in these comments: the migration engine splits statements on it.)
UPDATE "ExchangeKey" SET "maskedKeyId" = '…' || "maskedKeyId" WHERE "maskedKeyId" NOT LIKE '%…%';
