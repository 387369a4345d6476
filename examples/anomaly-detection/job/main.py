"""Entry point (run option `python` = main.py): card transactions in, z-score alerts out.

Reads every setting from the runtime properties (see README.md): source `source.transactions`, sink `sink.alerts`,
detection settings in `application`. Run locally with FLINK_APPLICATION_PROPERTIES=<file> python main.py.
"""
import logging
import os
import sys

# The service runs this file from the unzipped code folder; make its package importable wherever it is started.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from anomaly.job import run  # noqa: E402

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    run()
