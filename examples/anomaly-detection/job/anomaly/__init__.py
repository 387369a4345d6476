"""Card-transaction anomaly detection on Managed Service for Apache Flink (PyFlink, Flink SQL)."""
