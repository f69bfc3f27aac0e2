-- CreateTable
CREATE TABLE "CandleSpan" (
    "exchange" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "to" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CandleSpan_pkey" PRIMARY KEY ("exchange","symbol","timeframe","from")
);
