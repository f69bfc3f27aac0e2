-- CreateTable
CREATE TABLE "CandleSpan" (
    "exchange" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "from" DATETIME NOT NULL,
    "to" DATETIME NOT NULL,

    PRIMARY KEY ("exchange", "symbol", "timeframe", "from")
);
