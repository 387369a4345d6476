"""The detection: per-card statistics over a sliding window of prior transactions, and the z-score test.

For each transaction t of card c, the window is every other transaction of c whose event time lies in
[t.eventTime - window, t.eventTime] (a Flink SQL OVER window with RANGE, so transactions at the same instant see each
other). With n such prior transactions, mean m and population standard deviation s,

    zScore = (t.amount - m) / max(s, min.stddev)

and t is an alert when n >= min.prior.transactions and zScore > zscore.threshold (strictly: a tie is not an alert).
Only amounts above the card's usual spend are flagged; unusually small payments are not what this job looks for.
`min.stddev` keeps a card whose past amounts are all equal from dividing by zero: a different amount then stands
out by (amount - mean) / min.stddev.
"""
from dataclasses import dataclass

from .properties import PropertyGroup

SOURCE_NAME = "transactions"
SINK_NAME = "alerts"

# Calcite's default DAY precision (2) allows windows shorter than 100 days.
MAX_WINDOW_MINUTES = 99 * 24 * 60


@dataclass(frozen=True)
class DetectionSettings:
    """The `application` property group; every key has a default."""

    zscore_threshold: float = 3.0
    min_prior_transactions: int = 5
    window_minutes: int = 60
    min_stddev: float = 0.01
    watermark_delay_seconds: int = 5
    # A shard without records holds the watermark back, and with it every alert; after this long it is left out.
    source_idle_timeout_seconds: int = 60

    @staticmethod
    def from_group(group: PropertyGroup) -> "DetectionSettings":
        defaults = DetectionSettings()
        return DetectionSettings(
            zscore_threshold=group.number("zscore.threshold", defaults.zscore_threshold, minimum=0.0, maximum=1e6),
            min_prior_transactions=group.integer(
                "min.prior.transactions", defaults.min_prior_transactions, minimum=1, maximum=1_000_000),
            window_minutes=group.integer("window.minutes", defaults.window_minutes, minimum=1,
                                         maximum=MAX_WINDOW_MINUTES),
            min_stddev=group.number("min.stddev", defaults.min_stddev, minimum=1e-9, maximum=1e12),
            watermark_delay_seconds=group.integer(
                "watermark.delay.seconds", defaults.watermark_delay_seconds, minimum=0, maximum=86_400),
            source_idle_timeout_seconds=group.integer(
                "source.idle.timeout.seconds", defaults.source_idle_timeout_seconds, minimum=0, maximum=86_400),
        )


def _day_to_second(total_seconds: int) -> str:
    days, rest = divmod(total_seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    return f"INTERVAL '{days} {hours:02d}:{minutes:02d}:{seconds:02d}.000' DAY TO SECOND(3)"


def _double(value: float) -> str:
    # A bare 3.0 is a DECIMAL literal in Flink SQL; the statistics are DOUBLE, so compare DOUBLE with DOUBLE.
    return f"CAST({float(value)!r} AS DOUBLE)"


def source_columns(settings: DetectionSettings) -> str:
    delay = _day_to_second(settings.watermark_delay_seconds)
    return f"""(
  `transactionId` STRING,
  `cardId` STRING,
  `amount` DOUBLE,
  `currency` STRING,
  `merchant` STRING,
  `eventTime` TIMESTAMP_LTZ(3),
  WATERMARK FOR `eventTime` AS `eventTime` - {delay}
)"""


SINK_COLUMNS = """(
  `transactionId` STRING,
  `cardId` STRING,
  `amount` DOUBLE,
  `currency` STRING,
  `merchant` STRING,
  `eventTime` TIMESTAMP_LTZ(3),
  `mean` DOUBLE,
  `stddev` DOUBLE,
  `zScore` DOUBLE,
  `priorCount` BIGINT,
  `threshold` DOUBLE,
  `windowStart` TIMESTAMP_LTZ(3),
  `windowEnd` TIMESTAMP_LTZ(3)
)"""


def alerts_query(settings: DetectionSettings, source: str = SOURCE_NAME) -> str:
    window = _day_to_second(settings.window_minutes * 60)
    floor = _double(settings.min_stddev)
    threshold = _double(settings.zscore_threshold)
    # OVER windows end at the current row; its own amount is taken back out so that the statistics are the priors'.
    return f"""
SELECT `transactionId`, `cardId`, `amount`, `currency`, `merchant`, `eventTime`, `mean`, `stddev`,
       (`amount` - `mean`) / GREATEST(`stddev`, {floor}) AS `zScore`,
       `priorCount`, {threshold} AS `threshold`,
       `eventTime` - {window} AS `windowStart`, `eventTime` AS `windowEnd`
FROM (
  SELECT *,
         `priorSum` / `priorCount` AS `mean`,
         SQRT(GREATEST(`priorSumSq` / `priorCount` - (`priorSum` / `priorCount`) * (`priorSum` / `priorCount`),
                       CAST(0 AS DOUBLE))) AS `stddev`
  FROM (
    SELECT `transactionId`, `cardId`, `amount`, `currency`, `merchant`,
           -- a plain timestamp from here on: the sink has no time attribute, and may not get two
           CAST(`eventTime` AS TIMESTAMP_LTZ(3)) AS `eventTime`,
           COUNT(*) OVER w - 1 AS `priorCount`,
           SUM(`amount`) OVER w - `amount` AS `priorSum`,
           SUM(`amount` * `amount`) OVER w - `amount` * `amount` AS `priorSumSq`
    FROM `{source}`
    WHERE `cardId` IS NOT NULL AND `amount` IS NOT NULL
    WINDOW w AS (PARTITION BY `cardId` ORDER BY `eventTime` RANGE BETWEEN {window} PRECEDING AND CURRENT ROW)
  )
  WHERE `priorCount` >= {settings.min_prior_transactions}
)
WHERE (`amount` - `mean`) / GREATEST(`stddev`, {floor}) > {threshold}
"""
